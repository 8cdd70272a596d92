// Care plans against the real Kafka, MongoDB-wire server and Redis: a plan's rhythms give exactly the visits they
// say over the horizon (40 days here, so a month end is always inside), a plan change replaces future visits with
// no duplicate and withdraws the jobs of the dispatched ones, visit-and-discover without a plan, the discharge
// follow-up, one-off visits, validation, versions and scope.
import { carePlanTopic, elderTopic, jobTopic, visitTopic, type CloudEvent } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import { MongoClient } from 'mongodb';
import {
  call,
  elderBody,
  eventually,
  operator,
  startElderCare,
  XUANWU_COMMUNITY,
  type Json,
} from './support';

const TYPE = (name: string) => `linli.elder-care.${name}.v1`;
const HORIZON_DAYS = 40;
/** Visits due within two days are handed to dispatch at once: a plan change meets dispatched visits too. */
const LEAD_MS = 2 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;
const OFFSET_MS = 8 * 3_600_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Local (Asia/Shanghai) day number of an instant, and the instant of a local day at HH:mm: computed here apart. */
const localDay = (at: number) => Math.floor((at + OFFSET_MS) / DAY_MS);
const instant = (day: number, time: string) =>
  day * DAY_MS + (Number(time.slice(0, 2)) * 60 + Number(time.slice(3))) * 60_000 - OFFSET_MS;
const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekday = (day: number) => WEEKDAYS[new Date(day * DAY_MS).getUTCDay()];
const stamp = (at: number) => new Date(at + OFFSET_MS).toISOString().slice(0, 16).replace(/[-T:]/g, '');

describe('elder-care: care plans and the visits they generate', () => {
  let service: ServiceProcess;
  let mongo: MongoClient;
  let visitEvents: EventProbe;
  let jobEvents: EventProbe;
  let planEvents: EventProbe;
  let elderEvents: EventProbe;

  beforeAll(async () => {
    service = await startElderCare({
      VISIT_HORIZON_DAYS: String(HORIZON_DAYS),
      VISIT_DISPATCH_LEAD_MS: String(LEAD_MS),
      SCHEDULING_RECONCILE_INTERVAL_MS: '0',
    });
    mongo = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    await mongo.connect();
    [visitEvents, jobEvents, planEvents, elderEvents] = await Promise.all([
      EventProbe.start({ topic: visitTopic.name }),
      EventProbe.start({ topic: jobTopic.name }),
      EventProbe.start({ topic: carePlanTopic.name }),
      EventProbe.start({ topic: elderTopic.name }),
    ]);
  });
  afterAll(async () => {
    await Promise.allSettled([
      visitEvents?.stop(),
      jobEvents?.stop(),
      planEvents?.stop(),
      elderEvents?.stop(),
    ]);
    await mongo?.close();
    const code = await service?.stop();
    if (code !== 0 && code !== null && service) process.stderr.write(service.output());
  });

  const db = () => mongo.db(namespaced('linli-elder-care', '-'));

  async function registerElder(overrides: Json = {}): Promise<string> {
    const reply = await call(service, 'POST', '/elders', operator(), elderBody(overrides));
    expect(reply.status).toBe(201);
    return reply.body.elderId as string;
  }

  async function visitsOf(elderId: string, query = ''): Promise<Json[]> {
    const reply = await call(service, 'GET', `/elders/${elderId}/visits${query}`, operator());
    expect(reply.status).toBe(200);
    return reply.body.items as Json[];
  }

  const eventsOf = (probe: EventProbe, type: string, subject: string) =>
    probe.events.filter((event: CloudEvent) => event.type === TYPE(type) && event.subject === subject);

  it('a plan with three items gives exactly the visits its rhythms say over the horizon, across a month end', async () => {
    const elderId = await registerElder({ livingSituation: 'with-family', hardship: [] });
    const before = Date.now();
    const today = localDay(before);
    const reply = await call(service, 'PUT', `/elders/${elderId}/care-plan`, operator(), {
      items: [
        { service: 'meal-delivery', rhythm: { kind: 'daily', times: ['11:00'] }, startsOn: isoDate(today) },
        {
          service: 'bathing',
          rhythm: { kind: 'weekly', weekdays: ['mon', 'thu'], times: ['09:00'] },
          startsOn: isoDate(today),
        },
        {
          service: 'cleaning',
          rhythm: { kind: 'interval', everyDays: 14, times: ['10:00'] },
          startsOn: isoDate(today - 3),
        },
      ],
    });
    const after = Date.now();
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ carePlanId: `P${elderId}`, elderId, version: 0, status: 'active' });
    expect(reply.body.items.map((item: Json) => item.itemId)).toEqual(['I1', 'I2', 'I3']);

    // What the rhythms say, computed here on its own: due in [now, the start of the day HORIZON_DAYS ahead).
    const expected: { id: string; service: string; dueAt: number }[] = [];
    for (let day = today; day < today + HORIZON_DAYS; day++) {
      const add = (service: string, time: string) => {
        const dueAt = instant(day, time);
        expected.push({ id: `V${elderId}-${service}-${stamp(dueAt)}`, service, dueAt });
      };
      add('meal-delivery', '11:00');
      if (['mon', 'thu'].includes(weekday(day))) add('bathing', '09:00');
      if ((day - (today - 3)) % 14 === 0) add('cleaning', '10:00');
    }
    // A visit due while the request ran may fall either side of "now": leave that instant out of the comparison.
    const settled = (dueAt: number) => dueAt >= after;
    const wanted = expected.filter((visit) => settled(visit.dueAt)).sort((a, b) => a.dueAt - b.dueAt);
    const visits = await visitsOf(elderId);
    const got = visits.filter((visit) => settled(Date.parse(visit.dueAt)));
    expect(visits.every((visit) => Date.parse(visit.dueAt) >= before)).toBe(true);
    expect(got.map((visit) => visit.visitId)).toEqual(wanted.map((visit) => visit.id));
    expect(got.map((visit) => Date.parse(visit.dueAt))).toEqual(wanted.map((visit) => visit.dueAt));
    expect(got.map((visit) => visit.service)).toEqual(wanted.map((visit) => visit.service));
    for (const visit of visits) {
      expect(visit).toMatchObject({ source: 'plan', carePlanId: `P${elderId}`, elderId });
      expect(['scheduled', 'dispatched']).toContain(visit.status);
    }
    // A month end lies inside: visits on the last day of a month and on the first of the next.
    const dates = new Set(visits.map((visit) => isoDate(localDay(Date.parse(visit.dueAt)))));
    const monthEnd = [...dates].find(
      (date) => dates.has(isoDate(dayAfter(date))) && isoDate(dayAfter(date)).endsWith('-01'),
    );
    expect(monthEnd).toBeDefined();
    // Local times are Asia/Shanghai: meals at 11:00 are 03:00 UTC.
    expect(visits.find((visit) => visit.service === 'meal-delivery')?.dueAt).toMatch(/T03:00:00\.000Z$/);

    // One document, one dispatch timer and one visit.scheduled per visit; the near ones already dispatched.
    const ids = visits.map((visit) => visit.visitId);
    expect(await db().collection('visits').countDocuments({ elderId })).toBe(ids.length);
    const timers = await db()
      .collection('scheduled_work')
      .find({ name: 'visit-dispatch', jobId: { $in: ids.map((id) => `visit-dispatch:${id}`) } })
      .toArray();
    expect(timers).toHaveLength(ids.length);
    await visitEvents.waitFor(
      (event) => event.type === TYPE('visit.scheduled') && ids.includes(event.subject!),
      {
        count: ids.length,
      },
    );
    for (const id of ids) expect(eventsOf(visitEvents, 'visit.scheduled', id)).toHaveLength(1);
    await planEvents.waitFor(
      (event) => event.subject === `P${elderId}` && event.type === TYPE('careplan.changed'),
    );
    const near = visits.filter((visit) => Date.parse(visit.dueAt) - LEAD_MS <= after - 1000);
    await settles('the near visits to be dispatched', async () => {
      const now = await visitsOf(elderId);
      for (const visit of near)
        expect(now.find((v) => v.visitId === visit.visitId)?.status).toBe('dispatched');
    });
  });

  it('a plan change replaces future visits: kept ones untouched, dropped ones cancelled with their job withdrawn, no duplicate', async () => {
    const elderId = await registerElder({ livingSituation: 'with-family', hardship: [] });
    const today = localDay(Date.now());
    const meals = {
      service: 'meal-delivery',
      rhythm: { kind: 'daily', times: ['11:00'] },
      startsOn: isoDate(today),
    };
    const bathing = (weekdays: string[]) => ({
      service: 'bathing',
      rhythm: { kind: 'weekly', weekdays, times: ['09:00'] },
      startsOn: isoDate(today),
    });
    // Bathing every day of the week at first, so some of it is inside the lead time (dispatched) whatever today is.
    const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const first = await call(service, 'PUT', `/elders/${elderId}/care-plan`, operator(), {
      items: [meals, bathing(everyDay)],
    });
    expect(first.status).toBe(201);
    const v1 = await visitsOf(elderId);
    const dispatchedBaths = () =>
      visitsOf(elderId).then((visits) =>
        visits.filter((visit) => visit.service === 'bathing' && visit.status === 'dispatched'),
      );
    await settles('a bath to be dispatched', async () =>
      expect((await dispatchedBaths()).length).toBeGreaterThan(0),
    );
    const jobsOut = (await dispatchedBaths()).map((visit) => visit.jobId as string);

    const second = await call(service, 'PUT', `/elders/${elderId}/care-plan`, operator(), {
      items: [
        meals,
        bathing(['thu']),
        { ...meals, service: 'cleaning', rhythm: { kind: 'daily', times: ['15:00'] } },
      ],
      expectedVersion: 0,
    });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(1);
    expect(second.body.items.map((item: Json) => item.itemId)).toEqual(['I1', 'I3', 'I4']);

    const v2 = await visitsOf(elderId);
    const byId = new Map(v2.map((visit) => [visit.visitId, visit]));
    // No duplicate: one document per visit id.
    expect(byId.size).toBe(v2.length);
    expect(await db().collection('visits').countDocuments({ elderId })).toBe(v2.length);
    // Meals kept as they were (same ids, never cancelled).
    for (const meal of v1.filter((visit) => visit.service === 'meal-delivery')) {
      expect(byId.get(meal.visitId)?.status).not.toBe('cancelled');
    }
    // Baths on days other than Thursday cancelled (plan-changed); Thursday's kept.
    for (const bath of v1.filter((visit) => visit.service === 'bathing')) {
      const thursday = weekday(localDay(Date.parse(bath.dueAt))) === 'thu';
      expect(byId.get(bath.visitId)).toMatchObject(
        thursday
          ? { status: expect.not.stringMatching('cancelled') }
          : { status: 'cancelled', cancelReason: 'plan-changed' },
      );
    }
    expect(
      v2.filter((visit) => visit.service === 'cleaning' && visit.status !== 'cancelled').length,
    ).toBeGreaterThan(0);
    // Every job of a cancelled dispatched visit withdrawn, once; no job left out for a visit no longer wanted.
    const withdrawn = jobsOut.filter(
      (jobId) => byId.get(jobId.replace(/-J\d+$/, ''))?.status === 'cancelled',
    );
    expect(withdrawn.length).toBeGreaterThan(0);
    await jobEvents.waitFor(
      (event) =>
        event.type === 'linli.dispatch.job.cancellation-requested.v1' && withdrawn.includes(event.subject!),
      { count: withdrawn.length },
    );
    for (const jobId of withdrawn) {
      expect(
        jobEvents.events.filter(
          (event) => event.type === 'linli.dispatch.job.cancellation-requested.v1' && event.subject === jobId,
        ),
      ).toHaveLength(1);
    }
    const cancelled = v2.filter((visit) => visit.status === 'cancelled').map((visit) => visit.visitId);
    await visitEvents.waitFor(
      (event) => event.type === TYPE('visit.cancelled') && cancelled.includes(event.subject!),
      {
        count: cancelled.length,
      },
    );
    for (const id of cancelled) expect(eventsOf(visitEvents, 'visit.cancelled', id)).toHaveLength(1);
    // Their timers are cancelled too: nothing pending for a cancelled visit.
    const pending = await db()
      .collection('scheduled_work')
      .countDocuments({ status: 'pending', 'payload.visitId': { $in: cancelled } });
    expect(pending).toBe(0);

    // Back to the first plan: the cancelled baths are revived under their ids (a dispatched one with a new job).
    const third = await call(service, 'PUT', `/elders/${elderId}/care-plan`, operator(), {
      items: [meals, bathing(everyDay)],
    });
    expect(third.status).toBe(200);
    const v3 = await visitsOf(elderId);
    expect(await db().collection('visits').countDocuments({ elderId })).toBe(v3.length);
    for (const bath of v1.filter((visit) => visit.service === 'bathing')) {
      const now = v3.find((visit) => visit.visitId === bath.visitId);
      expect(['scheduled', 'dispatched']).toContain(now?.status);
      if (jobsOut.includes(bath.jobId) && withdrawn.includes(bath.jobId))
        expect(now?.jobId).toBe(`${bath.visitId}-J2`);
    }
    expect(
      v3.filter((visit) => visit.service === 'cleaning').every((visit) => visit.status === 'cancelled'),
    ).toBe(true);

    // Versions, newest first.
    const versions = await call(service, 'GET', `/elders/${elderId}/care-plan/versions`, operator());
    expect(versions.body.items.map((plan: Json) => plan.version)).toEqual([2, 1, 0]);
  });

  it('an elder living alone without a plan gets the weekly discover visit; withdrawn consent cancels every open visit', async () => {
    const elderId = await registerElder({ livingSituation: 'alone' });
    const today = localDay(Date.now());
    // The default rhythm for elders living alone: Tuesdays at 10:00.
    await settles('the discover visits', async () => {
      const visits = await visitsOf(elderId);
      const tuesdays = [];
      for (let day = today; day < today + HORIZON_DAYS; day++) {
        if (weekday(day) === 'tue' && instant(day, '10:00') > Date.now())
          tuesdays.push(instant(day, '10:00'));
      }
      expect(visits.map((visit) => Date.parse(visit.dueAt))).toEqual(tuesdays);
      for (const visit of visits)
        expect(visit).toMatchObject({ source: 'discover', service: 'safety-visit' });
    });
    // A weekly safety visit in the plan takes the place of the discover visits.
    const plan = await call(service, 'PUT', `/elders/${elderId}/care-plan`, operator(), {
      items: [
        {
          service: 'safety-visit',
          rhythm: { kind: 'weekly', weekdays: ['fri'], times: ['16:00'] },
          startsOn: isoDate(today),
        },
      ],
    });
    expect(plan.status).toBe(201);
    const open = (await visitsOf(elderId)).filter((visit) => visit.status !== 'cancelled');
    expect(open.every((visit) => visit.source === 'plan')).toBe(true);

    const withdrawn = await call(service, 'PATCH', `/elders/${elderId}`, operator(), {
      consentToServices: false,
    });
    expect(withdrawn.status).toBe(200);
    await settles('every open visit cancelled', async () => {
      const visits = await visitsOf(elderId);
      expect(visits.length).toBeGreaterThan(0);
      for (const visit of visits) expect(visit).toMatchObject({ status: 'cancelled' });
      expect(
        visits.filter((visit) => visit.source === 'plan').every((v) => v.cancelReason === 'elder-inactive'),
      ).toBe(true);
    });
    const refused = await call(service, 'PUT', `/elders/${elderId}/care-plan`, operator(), {
      items: [{ service: 'bathing', rhythm: { kind: 'daily', times: ['09:00'] }, startsOn: isoDate(today) }],
    });
    expect(refused.status).toBe(409);
  });

  it('a discharge schedules one follow-up health check days later; the same date again answers the same', async () => {
    const elderId = await registerElder({ livingSituation: 'with-family', hardship: [] });
    const today = localDay(Date.now());
    const first = await call(service, 'POST', `/elders/${elderId}/discharges`, operator(), {
      dischargedOn: isoDate(today),
      hospital: '鼓楼医院',
    });
    expect(first.status).toBe(201);
    const dueAt = instant(today + 3, '10:00');
    expect(first.body).toEqual({
      dischargeId: `D${elderId}-${isoDate(today).replace(/-/g, '')}`,
      elderId,
      dischargedOn: isoDate(today),
      followUpVisitId: `V${elderId}-follow-up-${stamp(dueAt)}`,
      followUpDueAt: new Date(dueAt).toISOString(),
    });
    const again = await call(service, 'POST', `/elders/${elderId}/discharges`, operator(), {
      dischargedOn: isoDate(today),
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const visits = await visitsOf(elderId);
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ source: 'follow-up', service: 'health-check', status: 'scheduled' });
    await elderEvents.waitFor(
      (event) => event.type === TYPE('elder.discharged') && event.subject === elderId,
    );
    const discharged = elderEvents.events.filter(
      (event) => event.type === TYPE('elder.discharged') && event.subject === elderId,
    );
    expect(discharged).toHaveLength(1);
    expect(JSON.stringify(discharged[0].data)).not.toContain('鼓楼医院');

    // A discharge long ago: its follow-up day has passed, so it is due an hour from now.
    const late = await call(service, 'POST', `/elders/${elderId}/discharges`, operator(), {
      dischargedOn: isoDate(today - 30),
    });
    expect(late.status).toBe(201);
    const lateDue = Date.parse(late.body.followUpDueAt);
    expect(lateDue - Date.now()).toBeGreaterThan(55 * 60_000);
    expect(lateDue - Date.now()).toBeLessThan(65 * 60_000);
    const future = await call(service, 'POST', `/elders/${elderId}/discharges`, operator(), {
      dischargedOn: isoDate(today + 2),
    });
    expect(future.status).toBe(400);
  });

  it('a one-off visit is due when asked, never in the past', async () => {
    const elderId = await registerElder({ livingSituation: 'with-family', hardship: [] });
    const past = await call(service, 'POST', `/elders/${elderId}/visits`, operator(), {
      service: 'companionship',
      dueAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body)).toContain('dueAt');
    const dueAt = new Date(Date.now() + 5 * DAY_MS);
    const made = await call(service, 'POST', `/elders/${elderId}/visits`, operator(), {
      service: 'companionship',
      dueAt: dueAt.toISOString(),
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      visitId: `V${elderId}-manual-companionship-${stamp(dueAt.getTime())}`,
      source: 'manual',
      service: 'companionship',
      status: 'scheduled',
      dueAt: dueAt.toISOString(),
    });
    const twice = await call(service, 'POST', `/elders/${elderId}/visits`, operator(), {
      service: 'companionship',
      dueAt: dueAt.toISOString(),
    });
    expect(twice.status).toBe(409);
  });

  it('refuses a bad plan naming the field, a stale version with 409, and answers 404 outside the jurisdiction', async () => {
    const elderId = await registerElder({ livingSituation: 'with-family', hardship: [] });
    const item = {
      service: 'meal-delivery',
      rhythm: { kind: 'daily', times: ['11:00'] },
      startsOn: '2025-01-01',
    };
    const put = (body: Json, headers = operator()) =>
      call(service, 'PUT', `/elders/${elderId}/care-plan`, headers, body);

    const noWeekdays = await put({
      items: [item, { ...item, service: 'bathing', rhythm: { kind: 'weekly', times: ['09:00'] } }],
    });
    expect(noWeekdays.status).toBe(400);
    expect(noWeekdays.body.errors).toEqual([expect.objectContaining({ field: 'items[1].rhythm.weekdays' })]);
    const backwards = await put({ items: [{ ...item, endsOn: '2024-12-31' }] });
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'items[0].endsOn' })]);
    const twice = await put({ items: [item, item] });
    expect(twice.body.errors).toEqual([expect.objectContaining({ field: 'items[1].rhythm' })]);
    const badTime = await put({ items: [{ ...item, rhythm: { kind: 'daily', times: ['25:00'] } }] });
    expect(badTime.status).toBe(400);
    expect(JSON.stringify(badTime.body.errors)).toContain('times');
    const unknown = await put({ items: [{ ...item, colour: 'red' }] });
    expect(unknown.status).toBe(400);
    expect(await call(service, 'GET', `/elders/${elderId}/care-plan`, operator()).then((r) => r.status)).toBe(
      404,
    );

    expect((await put({ items: [item] })).status).toBe(201);
    const stale = await put({ items: [item], expectedVersion: 5 });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toEqual({ status: 'active', version: 0 });

    const elsewhere = operator(XUANWU_COMMUNITY.slice(0, 6));
    expect((await put({ items: [item] }, elsewhere)).status).toBe(404);
    expect((await call(service, 'GET', `/elders/${elderId}/care-plan`, elsewhere)).status).toBe(404);
    expect((await call(service, 'GET', `/elders/${elderId}/visits`, elsewhere)).status).toBe(404);

    const ended = await call(service, 'DELETE', `/elders/${elderId}/care-plan`, operator());
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', version: 1 });
    const visits = await visitsOf(elderId, `?from=${new Date().toISOString()}`);
    expect(visits.every((visit) => visit.status === 'cancelled')).toBe(true);
  });
});

/** Waits until the assertions hold (they throw until then). */
function settles(what: string, assertions: () => Promise<void>): Promise<true> {
  return eventually(what, async () => {
    await assertions();
    return true as const;
  });
}

function dayAfter(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS + 1;
}
