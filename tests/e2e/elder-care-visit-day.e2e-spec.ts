// An elder's care over HTTP with elder-care, dispatch and resident-requests running as processes: the operator
// registers an elder living alone and gives a plan of three items; the visits over the horizon are exactly what the
// rhythms say, at the right local times and across a month end; a caregiver takes a visit in dispatch, checks in and
// out in elder-care, and the job ends completed in dispatch; a concern found on a visit becomes a resident ticket
// that is dispatched like any other.
import {
  addDays,
  call,
  DAY_MS,
  ELDER_HOME,
  eventually,
  jobWhen,
  localDate,
  localTime,
  offeredJob,
  oneOffVisit,
  operator,
  providerUser,
  registerCaregiver,
  registerElder,
  registerProvider,
  shanghai,
  startPlatform,
  supervisor,
  visitsOf,
  visitWhen,
  weekdayOf,
  XIANXIA_ROAD,
  type ElderCarePlatform,
  type Json,
} from './support/linli';

/** 40 days always hold a month end. */
const HORIZON_DAYS = 40;
const DISCOVER_RHYTHMS = {
  alone: { kind: 'weekly', weekdays: ['tue'], times: ['10:00'] },
  hardship: { kind: 'weekly', weekdays: ['wed'], times: ['10:00'] },
};

interface Slot {
  service: string;
  dueAt: string;
}

/**
 * What the rhythms say, computed here independently of the service: every local day from `startsOn` up to the end
 * of the horizon (whole local days: today and the next HORIZON_DAYS - 1), instants strictly after `after`.
 */
function expectedSlots(
  items: { service: string; times: string[]; on: (date: string, startsOn: string) => boolean }[],
  startsOn: string,
  after: Date,
): Slot[] {
  const slots: Slot[] = [];
  const today = localDate(after);
  for (let offset = 0; offset < HORIZON_DAYS; offset++) {
    const date = addDays(today, offset);
    for (const item of items) {
      if (!item.on(date, startsOn)) continue;
      for (const time of item.times) {
        const at = shanghai(date, time);
        if (at > after) slots.push({ service: item.service, dueAt: at.toISOString() });
      }
    }
  }
  return slots.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.service.localeCompare(b.service));
}

function daysBetween(from: string, to: string): number {
  return Math.round((shanghai(to).getTime() - shanghai(from).getTime()) / DAY_MS);
}

const slotOf = (visit: Json): Slot => ({ service: visit.service, dueAt: visit.dueAt });
const bySlot = (a: Slot, b: Slot) => a.dueAt.localeCompare(b.dueAt) || a.service.localeCompare(b.service);

describe('elder-care: a care plan, its visits, and a caregiver’s visit end to end', () => {
  let platform: ElderCarePlatform;
  let caregiver: string;
  let plumber: string;

  beforeAll(async () => {
    platform = await startPlatform(
      {
        VISIT_HORIZON_DAYS: String(HORIZON_DAYS),
        // A visit is handed to dispatch ten minutes ahead: a one-off visit due in seconds goes at once, while the
        // plan's visits (days ahead) wait for their time.
        VISIT_DISPATCH_LEAD_MS: String(10 * 60_000),
        DISCOVER_RHYTHMS: JSON.stringify(DISCOVER_RHYTHMS),
        OFFERS_PER_ROUND: '3',
      },
      { elderCare: true },
    );
    ({ providerId: caregiver } = await registerCaregiver(platform));
    ({ providerId: plumber } = await registerProvider(platform));
  });
  afterAll(() => platform?.stop());

  it('generates exactly the visits the three rhythms say over the horizon, at their local times, across a month end', async () => {
    const elderId = await registerElder(platform);
    const before = new Date();
    const startsOn = localDate(before);
    const plan = await call(platform.elderCare, 'PUT', `/elders/${elderId}/care-plan`, operator, {
      items: [
        { service: 'meal-delivery', rhythm: { kind: 'daily', times: ['11:00'] }, startsOn },
        {
          service: 'bathing',
          rhythm: { kind: 'weekly', weekdays: ['mon', 'thu'], times: ['09:00'] },
          startsOn,
        },
        { service: 'health-check', rhythm: { kind: 'interval', everyDays: 14, times: ['10:00'] }, startsOn },
      ],
    });
    const after = new Date();
    expect(plan.status).toBe(201);
    expect(plan.body).toMatchObject({
      carePlanId: `P${elderId}`,
      elderId,
      version: expect.any(Number),
      status: 'active',
    });
    expect(plan.body.items).toHaveLength(3);
    for (const item of plan.body.items) expect(typeof item.itemId).toBe('string');

    const planned = expectedSlots(
      [
        { service: 'meal-delivery', times: ['11:00'], on: () => true },
        {
          service: 'bathing',
          times: ['09:00'],
          on: (date) => ['mon', 'thu'].includes(weekdayOf(date)),
        },
        {
          service: 'health-check',
          times: ['10:00'],
          on: (date, from) => daysBetween(from, date) % 14 === 0,
        },
      ],
      startsOn,
      after,
    );
    // The horizon holds a month end, and each rhythm has visits in it.
    expect(new Set(planned.map((slot) => localDate(new Date(slot.dueAt)).slice(0, 7))).size).toBeGreaterThan(
      1,
    );
    for (const service of ['meal-delivery', 'bathing', 'health-check']) {
      expect(planned.some((slot) => slot.service === service)).toBe(true);
    }

    // A slot between the two instants around the PUT may or may not be generated: it is left out of the comparison.
    const comparable = (visit: Json) => new Date(visit.dueAt) > after;
    const window = `?from=${new Date(before.getTime() - DAY_MS).toISOString()}&to=${new Date(after.getTime() + (HORIZON_DAYS + 2) * DAY_MS).toISOString()}`;
    let last: Json[] = [];
    const ready = await eventually(
      'the plan’s visits over the horizon',
      async () => {
        last = await visitsOf(platform, elderId, window);
        const mine = last.filter((v) => v.source === 'plan' && comparable(v));
        return mine.length >= planned.length ? last : undefined;
      },
      { timeoutMs: 60_000 },
    ).catch(() => last);

    const plannedVisits = ready.filter((v) => v.source === 'plan');
    expect(plannedVisits.filter(comparable).map(slotOf).sort(bySlot)).toEqual(planned);
    // Nothing in the past, nothing past the horizon, no visit twice.
    const horizonEnd = shanghai(addDays(localDate(after), HORIZON_DAYS));
    for (const visit of plannedVisits) {
      expect(new Date(visit.dueAt).getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(new Date(visit.dueAt).getTime()).toBeLessThan(horizonEnd.getTime());
      expect(visit).toMatchObject({ elderId, community: XIANXIA_ROAD, carePlanId: `P${elderId}` });
      expect(['scheduled', 'dispatched']).toContain(visit.status);
      // The deterministic id of ADR 0018: V<elderId>-<service>-<yyyyMMddHHmm local>.
      const stamp = `${localDate(new Date(visit.dueAt)).replace(/-/g, '')}${localTime(new Date(visit.dueAt)).replace(':', '')}`;
      expect(visit.visitId).toBe(`V${elderId}-${visit.service}-${stamp}`);
    }
    expect(new Set(ready.map((v) => v.visitId)).size).toBe(ready.length);
    expect(new Set(plannedVisits.map((v) => `${v.service}@${v.dueAt}`)).size).toBe(plannedVisits.length);
    // Local times as the rhythms say them (Asia/Shanghai), whatever the UTC date.
    const times: Record<string, string> = {
      'meal-delivery': '11:00',
      bathing: '09:00',
      'health-check': '10:00',
    };
    for (const visit of plannedVisits) expect(localTime(new Date(visit.dueAt))).toBe(times[visit.service]);

    // She lives alone and her plan has no weekly safety visit: visit-and-discover adds one every Tuesday at 10:00.
    const discovered = expectedSlots(
      [{ service: 'safety-visit', times: ['10:00'], on: (date) => weekdayOf(date) === 'tue' }],
      startsOn,
      after,
    );
    const discoverVisits = ready.filter((v) => v.source === 'discover');
    expect(discoverVisits.filter(comparable).map(slotOf).sort(bySlot)).toEqual(discovered);
  });

  it('hands a visit due now to dispatch; the caregiver accepts it there, checks in and out here, and the job ends completed', async () => {
    const elderId = await registerElder(platform);
    const created = await oneOffVisit(platform, elderId, 'meal-delivery', new Date(Date.now() + 20_000));
    const visitId: string = created.visitId;
    expect(created).toMatchObject({
      elderId,
      community: XIANXIA_ROAD,
      source: 'manual',
      service: 'meal-delivery',
    });

    const dispatched = await visitWhen(platform, visitId, (v) => Boolean(v.jobId), 'is dispatched');
    expect(dispatched).toMatchObject({ status: 'dispatched', attempt: 1, jobId: `${visitId}-J1` });
    const jobId: string = dispatched.jobId;

    const offer = await offeredJob(platform, caregiver, jobId);
    expect(offer).toMatchObject({
      category: 'elder-care',
      skill: 'meal-delivery',
      jurisdiction: XIANXIA_ROAD,
      origin: { service: 'elder-care', aggregateId: visitId },
    });
    const me = providerUser(caregiver);
    // Offered is not held: the elder's contact stays hidden until the caregiver takes the visit.
    expect((await call(platform.elderCare, 'GET', `/visits/${visitId}/contact`, me)).status).toBe(404);
    expect((await call(platform.dispatch, 'POST', `/jobs/${jobId}/accept`, me)).status).toBe(200);

    const assigned = await visitWhen(platform, visitId, (v) => v.status === 'assigned', 'is assigned');
    expect(assigned.provider).toMatchObject({ providerId: caregiver });
    const contact = await call(platform.elderCare, 'GET', `/visits/${visitId}/contact`, me);
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ elderId, name: '王秀英', phone: '13812345678' });
    expect(contact.body.address).toContain('3 单元 502');
    // The caregiver sees the visit among its own.
    const mine = await call(platform.elderCare, 'GET', '/visits?mine=true', me);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((v: Json) => v.visitId)).toContain(visitId);

    const checkedIn = await call(platform.elderCare, 'POST', `/visits/${visitId}/check-in`, me, {
      coordinates: { lat: ELDER_HOME.lat + 0.0002, lng: ELDER_HOME.lng },
    });
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.body).toMatchObject({ status: 'checked-in', checkIn: { farFromHome: false } });
    await jobWhen(platform, jobId, (job) => job.status === 'started', 'is started in dispatch');

    const checkedOut = await call(platform.elderCare, 'POST', `/visits/${visitId}/check-out`, me, {
      itemsDone: ['meal-delivery'],
      observation: 'fine',
      notes: '午餐已送到，老人精神很好',
    });
    expect(checkedOut.status).toBe(200);
    expect(checkedOut.body).toMatchObject({
      status: 'completed',
      checkOut: { itemsDone: ['meal-delivery'], observation: 'fine' },
      findings: [],
    });
    const completed = await jobWhen(
      platform,
      jobId,
      (job) => job.status === 'completed',
      'is completed in dispatch',
    );
    expect(completed).toMatchObject({ providerId: caregiver, outcome: 'done' });
    // Done: the contact is hidden again; a second check-out is refused with the current state.
    expect((await call(platform.elderCare, 'GET', `/visits/${visitId}/contact`, me)).status).toBe(404);
    const again = await call(platform.elderCare, 'POST', `/visits/${visitId}/check-out`, me, {
      itemsDone: ['meal-delivery'],
      observation: 'fine',
    });
    expect(again.status).toBe(409);
    expect(again.body.current).toMatchObject({ status: 'completed' });
    // A check-in keeps the elder's count of missed visits at zero.
    const elder = await call(platform.elderCare, 'GET', `/elders/${elderId}`, supervisor);
    expect(elder.body.missedInARow).toBe(0);
  });

  it('turns a concern found on a visit into a resident ticket of channel visit, dispatched like any ticket', async () => {
    const elderId = await registerElder(platform, { livingSituation: 'empty-nest' });
    const { visitId } = await oneOffVisit(platform, elderId, 'companionship', new Date(Date.now() + 20_000));
    const { jobId } = await visitWhen(platform, visitId, (v) => Boolean(v.jobId), 'is dispatched');
    await offeredJob(platform, caregiver, jobId);
    const me = providerUser(caregiver);
    expect((await call(platform.dispatch, 'POST', `/jobs/${jobId}/accept`, me)).status).toBe(200);
    await visitWhen(platform, visitId, (v) => v.status === 'assigned', 'is assigned');
    expect((await call(platform.elderCare, 'POST', `/visits/${visitId}/check-in`, me, {})).status).toBe(200);

    const checkedOut = await call(platform.elderCare, 'POST', `/visits/${visitId}/check-out`, me, {
      itemsDone: ['companionship'],
      observation: 'concern',
      notes: '厨房水管漏水，地面湿滑，老人有跌倒风险',
      findings: [{ category: 'repair', summary: '厨房水管漏水，地面湿滑' }],
    });
    expect(checkedOut.status).toBe(200);
    expect(checkedOut.body.findings).toEqual([
      expect.objectContaining({ findingId: `${visitId}-F1`, category: 'repair', observation: 'concern' }),
    ]);

    const ticket = await eventually(`the ticket of visit ${visitId}`, async () => {
      const reply = await call(platform.requests, 'GET', '/tickets?channel=visit', operator);
      return reply.status === 200
        ? reply.body.items.find((t: Json) => t.sourceVisitId === visitId)
        : undefined;
    });
    expect(ticket).toMatchObject({
      channel: 'visit',
      category: 'repair',
      description: '厨房水管漏水，地面湿滑',
      sourceVisitId: visitId,
      place: { communityCode: XIANXIA_ROAD },
    });
    // Dispatched like any ticket: its job reaches the plumber.
    const dispatched = await eventually(`ticket ${ticket.ticketId} dispatched`, async () => {
      const reply = await call(platform.requests, 'GET', `/tickets/${ticket.ticketId}`, operator);
      return reply.status === 200 && reply.body.jobId ? reply.body : undefined;
    });
    const offer = await offeredJob(platform, plumber, dispatched.jobId);
    expect(offer).toMatchObject({ category: 'repair', skill: 'repair' });
    // One ticket per finding, however often the event is read.
    const tickets = await call(platform.requests, 'GET', '/tickets?channel=visit', operator);
    expect(tickets.body.items.filter((t: Json) => t.sourceVisitId === visitId)).toHaveLength(1);
  });
});
