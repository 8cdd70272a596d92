// A visit's life against the real Kafka, MongoDB-wire server and Redis: handed to dispatch at its lead time, taken
// by a caregiver (dispatch's job.accepted, from the fake), checked in and out over HTTP, with its events read back
// from Kafka; the far check-in, findings, the welfare concern, 409s and the 404s of scope.
import { elderTopic, visitTopic, type CloudEvent } from '@linli/contracts';
import { authHeader, EventProbe, FakeDispatch, type ServiceProcess } from '@linli/testing';
import {
  call,
  GULOU_COMMUNITY,
  operator,
  providerUser,
  startElderCare,
  supervisor,
  unique,
  XUANWU_COMMUNITY,
  type Json,
} from './support';
import { VisitFixtures, visitWhen } from './visits-support';

const TYPE = (name: string) => `linli.elder-care.${name}.v1`;
const JOB_TYPE = (name: string) => `linli.dispatch.${name}.v1`;
const LEAD_MS = 10 * 60_000;
const GRACE_MS = 60 * 60_000;
const NEAR_HOME = { lat: 32.0566, lng: 118.7695 };
const FAR_FROM_HOME = { lat: 32.0765, lng: 118.7894 };

describe('elder-care: a visit from dispatch to check-out', () => {
  let service: ServiceProcess;
  let dispatch: FakeDispatch;
  let visits: EventProbe;
  let elders: EventProbe;
  let fixtures: VisitFixtures;

  beforeAll(async () => {
    service = await startElderCare({
      VISIT_DISPATCH_LEAD_MS: String(LEAD_MS),
      VISIT_GRACE_MS: String(GRACE_MS),
      SCHEDULING_RECONCILE_INTERVAL_MS: '1000',
    });
    [dispatch, visits, elders, fixtures] = await Promise.all([
      FakeDispatch.start({ clientId: 'elder-care-test-dispatch' }),
      EventProbe.start({ topic: visitTopic.name }),
      EventProbe.start({ topic: elderTopic.name }),
      VisitFixtures.start(service),
    ]);
  });
  afterAll(async () => {
    await Promise.allSettled([dispatch?.stop(), visits?.stop(), elders?.stop(), fixtures?.stop()]);
    const code = await service?.stop();
    if (code !== 0 && code !== null && service) process.stderr.write(service.output());
  });

  const of = (visitId: string, type: string) => (e: CloudEvent) =>
    e.type === TYPE(type) && (e.data as Json).visitId === visitId;

  /** A visit due in two minutes (inside the lead time: dispatched at once), accepted by `providerId`. */
  async function assignedVisit(
    providerId: string,
    elderOverrides: Json = {},
    service_ = 'companionship',
  ): Promise<{ visitId: string; jobId: string; elderId: string }> {
    const elderId = await fixtures.elder(elderOverrides);
    const visitId = await fixtures.visit(elderId, service_);
    const request = await dispatch.requested(visitId);
    const jobId = request.data.jobId as string;
    await dispatch.accept(jobId, GULOU_COMMUNITY, providerId);
    await visitWhen(service, visitId, (v) => v.status === 'assigned', 'is assigned');
    return { visitId, jobId, elderId };
  }

  async function checkedIn(providerId: string, elderOverrides: Json = {}) {
    const visit = await assignedVisit(providerId, elderOverrides);
    const reply = await call(service, 'POST', `/visits/${visit.visitId}/check-in`, providerUser(providerId), {
      coordinates: NEAR_HOME,
    });
    expect(reply.status).toBe(200);
    return visit;
  }

  it('dispatches a visit due soon, and takes it through accept, check-in and check-out with every event', async () => {
    const providerId = unique('prv');
    const elderId = await fixtures.elder();
    const visitId = await fixtures.visit(elderId, 'meal-delivery');

    const request = await dispatch.requested(visitId);
    expect(request.subject).toBe(`${visitId}-J1`);
    expect(request.data).toMatchObject({
      jobId: `${visitId}-J1`,
      jurisdiction: GULOU_COMMUNITY,
      origin: { service: 'elder-care', aggregateId: visitId },
      category: 'elder-care',
      skill: 'meal-delivery',
      priority: 'routine',
    });
    const dispatched = await visitWhen(service, visitId, (v) => v.status === 'dispatched', 'is dispatched');
    expect(dispatched).toMatchObject({ attempt: 1, jobId: `${visitId}-J1`, unassigned: false, elderId });
    expect(request.data.dueBy).toBe(dispatched.dueAt);
    const [dispatchedEvent] = await visits.waitFor(of(visitId, 'visit.dispatched'));
    expect(dispatchedEvent.data).toMatchObject({ jobId: `${visitId}-J1`, attempt: 1, elderId });

    await dispatch.accept(`${visitId}-J1`, GULOU_COMMUNITY, providerId);
    const assigned = await visitWhen(service, visitId, (v) => v.status === 'assigned', 'is assigned');
    expect(assigned.provider).toMatchObject({ providerId, providerKind: 'social-organisation' });
    const [assignedEvent] = await visits.waitFor(of(visitId, 'visit.assigned'));
    expect(assignedEvent.data).toMatchObject({ jobId: `${visitId}-J1`, providerId });

    // The caregiver sees it among its visits, and reads the elder's contact in full while it holds it.
    const mine = await call(service, 'GET', '/visits', providerUser(providerId));
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((v: Json) => v.visitId)).toEqual([visitId]);
    const contact = await call(service, 'GET', `/visits/${visitId}/contact`, providerUser(providerId));
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({
      elderId,
      name: '王秀英',
      phone: '13812345678',
      address: '鼓楼区宁海路 12 号 3 单元 502',
      emergencyContacts: [{ name: '李明', relation: 'son', phone: '13912345678' }],
    });

    const checkIn = await call(service, 'POST', `/visits/${visitId}/check-in`, providerUser(providerId), {
      coordinates: NEAR_HOME,
    });
    expect(checkIn.status).toBe(200);
    expect(checkIn.body.status).toBe('checked-in');
    expect(checkIn.body.checkIn).toMatchObject({ coordinates: NEAR_HOME, farFromHome: false });
    expect(checkIn.body.checkIn.distanceM).toBeLessThan(50);
    const [checkedInEvent] = await visits.waitFor(of(visitId, 'visit.checked-in'));
    expect(checkedInEvent.data).toMatchObject({
      providerId,
      farFromHome: false,
      actorId: `user-${providerId}`,
    });
    const [started] = await dispatch.waitFor(JOB_TYPE('job.progress-reported'), `${visitId}-J1`);
    expect(started.data).toMatchObject({
      origin: { service: 'elder-care', aggregateId: visitId },
      providerId,
      step: 'started',
    });

    const checkOut = await call(service, 'POST', `/visits/${visitId}/check-out`, providerUser(providerId), {
      itemsDone: ['meal-delivery'],
      observation: 'fine',
      notes: '午餐已送达，老人精神好',
    });
    expect(checkOut.status).toBe(200);
    expect(checkOut.body).toMatchObject({
      status: 'completed',
      checkOut: { itemsDone: ['meal-delivery'], observation: 'fine' },
      findings: [],
    });
    const [completed] = await visits.waitFor(of(visitId, 'visit.completed'));
    expect(completed.data).toMatchObject({
      providerId,
      service: 'meal-delivery',
      itemsDone: ['meal-delivery'],
      observation: 'fine',
      onTime: true,
      lateMinutes: 0,
    });
    const progress = await dispatch.waitFor(JOB_TYPE('job.progress-reported'), `${visitId}-J1`, 2);
    expect(progress[1].data).toMatchObject({ step: 'completed', outcome: 'done', providerId });
    expect(visits.events.filter(of(visitId, 'visit.finding-reported'))).toHaveLength(0);

    // After the check-out the contact is no longer the caregiver's to read.
    const after = await call(service, 'GET', `/visits/${visitId}/contact`, providerUser(providerId));
    expect(after.status).toBe(404);
  });

  it('flags a check-in far from the home, and a second check-in is 200 unchanged with no second event', async () => {
    const providerId = unique('prv');
    const { visitId } = await assignedVisit(providerId);
    const first = await call(service, 'POST', `/visits/${visitId}/check-in`, providerUser(providerId), {
      coordinates: FAR_FROM_HOME,
    });
    expect(first.status).toBe(200);
    expect(first.body.checkIn.farFromHome).toBe(true);
    expect(first.body.checkIn.distanceM).toBeGreaterThan(300);
    const [event] = await visits.waitFor(of(visitId, 'visit.checked-in'));
    expect((event.data as Json).farFromHome).toBe(true);

    const second = await call(service, 'POST', `/visits/${visitId}/check-in`, providerUser(providerId), {
      coordinates: NEAR_HOME,
    });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    // Wait for a later event of another kind on the topic, then count: still one check-in.
    await call(service, 'POST', `/visits/${visitId}/check-out`, providerUser(providerId), {
      itemsDone: ['companionship'],
      observation: 'fine',
    });
    await visits.waitFor(of(visitId, 'visit.completed'));
    expect(visits.events.filter(of(visitId, 'visit.checked-in'))).toHaveLength(1);
  });

  it('turns a concern without findings into one elder-care finding, and numbers the findings named', async () => {
    const providerId = unique('prv');
    const { visitId } = await checkedIn(providerId);
    const reply = await call(service, 'POST', `/visits/${visitId}/check-out`, providerUser(providerId), {
      itemsDone: ['companionship'],
      observation: 'concern',
      notes: '老人近日食欲差，情绪低落',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.findings).toEqual([
      {
        findingId: `${visitId}-F1`,
        observation: 'concern',
        category: 'elder-care',
        summary: '老人近日食欲差，情绪低落',
      },
    ]);
    const [finding] = await visits.waitFor(of(visitId, 'visit.finding-reported'));
    expect(finding.data).toMatchObject({
      findingId: `${visitId}-F1`,
      observation: 'concern',
      category: 'elder-care',
      providerId,
    });

    const other = await checkedIn(providerId);
    const named = await call(
      service,
      'POST',
      `/visits/${other.visitId}/check-out`,
      providerUser(providerId),
      {
        itemsDone: ['companionship', 'cleaning'],
        observation: 'fine',
        findings: [
          { category: 'repair', summary: '厨房水龙头漏水' },
          { category: 'health', summary: '血压计损坏，需要更换' },
        ],
      },
    );
    expect(named.status).toBe(200);
    const reported = await visits.waitFor(of(other.visitId, 'visit.finding-reported'), { count: 2 });
    expect(reported.map((e) => [(e.data as Json).findingId, (e.data as Json).category])).toEqual([
      [`${other.visitId}-F1`, 'repair'],
      [`${other.visitId}-F2`, 'health'],
    ]);
  });

  it('raises the welfare concern on the elder stream for an urgent observation', async () => {
    const providerId = unique('prv');
    const { visitId, elderId } = await checkedIn(providerId);
    const reply = await call(service, 'POST', `/visits/${visitId}/check-out`, providerUser(providerId), {
      itemsDone: ['companionship'],
      observation: 'urgent',
    });
    expect(reply.status).toBe(200);
    const [welfare] = await elders.waitFor(
      (e) => e.type === TYPE('elder.welfare-concern-raised') && (e.data as Json).visitId === visitId,
    );
    expect(welfare.subject).toBe(elderId);
    expect(welfare.data).toMatchObject({
      elderId,
      jurisdiction: GULOU_COMMUNITY,
      findingId: `${visitId}-F1`,
      livingSituation: 'alone',
      careLevel: 'partly-dependent',
      providerId,
    });
    const [finding] = await visits.waitFor(of(visitId, 'visit.finding-reported'));
    expect(finding.data).toMatchObject({ observation: 'urgent', category: 'elder-care' });
  });

  it('answers a second check-out with 409 and the current state', async () => {
    const providerId = unique('prv');
    const { visitId } = await checkedIn(providerId);
    const body = { itemsDone: ['companionship'], observation: 'fine' };
    const first = await call(service, 'POST', `/visits/${visitId}/check-out`, providerUser(providerId), body);
    expect(first.status).toBe(200);
    const second = await call(
      service,
      'POST',
      `/visits/${visitId}/check-out`,
      providerUser(providerId),
      body,
    );
    expect(second.status).toBe(409);
    expect(second.body.current).toEqual({ status: 'completed', version: first.body.version });
  });

  it('refuses a check-in in the future or before the dispatch, naming the field', async () => {
    const providerId = unique('prv');
    const { visitId } = await assignedVisit(providerId);
    const future = await call(service, 'POST', `/visits/${visitId}/check-in`, providerUser(providerId), {
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toContain('"at"');
    const early = await call(service, 'POST', `/visits/${visitId}/check-in`, providerUser(providerId), {
      at: new Date(Date.now() - 3_600_000).toISOString(),
    });
    expect(early.status).toBe(400);
    const unknown = await call(service, 'POST', `/visits/${visitId}/check-in`, providerUser(providerId), {
      coordinates: NEAR_HOME,
      mood: 'happy',
    });
    expect(unknown.status).toBe(400);
  });

  it('shows a visit only to the provider holding it and to staff of its district', async () => {
    const holder = unique('prv');
    const stranger = unique('prv');
    const { visitId } = await assignedVisit(holder);
    for (const path of [`/visits/${visitId}`, `/visits/${visitId}/contact`]) {
      expect((await call(service, 'GET', path, providerUser(stranger))).status).toBe(404);
    }
    const checkIn = await call(service, 'POST', `/visits/${visitId}/check-in`, providerUser(stranger), {});
    expect(checkIn.status).toBe(404);
    expect((await call(service, 'GET', '/visits', providerUser(stranger))).body.items).toEqual([]);

    const xuanwu = authHeader('operator', '320102', { sub: 'op-xuanwu' });
    expect((await call(service, 'GET', `/visits/${visitId}`, xuanwu)).status).toBe(404);
    expect((await call(service, 'GET', `/visits/${visitId}/contact`, xuanwu)).status).toBe(404);
    const listed = await call(service, 'GET', `/visits?community=${XUANWU_COMMUNITY.slice(0, 6)}`, xuanwu);
    expect(listed.body.items.map((v: Json) => v.visitId)).not.toContain(visitId);

    const gulou = await call(
      service,
      'GET',
      `/visits?community=${GULOU_COMMUNITY}&status=assigned`,
      supervisor(),
    );
    expect(gulou.status).toBe(200);
    expect(gulou.body.items.map((v: Json) => v.visitId)).toContain(visitId);
    expect(gulou.body).toMatchObject({ page: 1, pageSize: 20 });
    const dueAts = gulou.body.items.map((v: Json) => v.dueAt);
    expect([...dueAts].sort()).toEqual(dueAts);
    // Staff may read the contact; staff cannot check in.
    expect((await call(service, 'GET', `/visits/${visitId}/contact`, operator())).status).toBe(200);
    expect((await call(service, 'POST', `/visits/${visitId}/check-in`, operator(), {})).status).toBe(403);
  });

  it('flags a visit whose job nobody took, and a coordinator’s cancellation releases its caregiver', async () => {
    const elderId = await fixtures.elder();
    const visitId = await fixtures.visit(elderId);
    const { data } = await dispatch.requested(visitId);
    await dispatch.escalate(data.jobId, GULOU_COMMUNITY);
    await visitWhen(service, visitId, (v) => v.unassigned === true, 'is flagged unassigned');
    const unassigned = await call(service, 'GET', '/visits?unassigned=true', supervisor());
    expect(unassigned.body.items.map((v: Json) => v.visitId)).toContain(visitId);

    const providerId = unique('prv');
    await dispatch.accept(data.jobId, GULOU_COMMUNITY, providerId);
    await visitWhen(
      service,
      visitId,
      (v) => v.status === 'assigned' && v.unassigned === false,
      'is assigned',
    );
    await dispatch.cancel(data.jobId, GULOU_COMMUNITY, providerId);
    const released = await visitWhen(
      service,
      visitId,
      (v) => v.status === 'dispatched' && v.unassigned === true,
      'is released',
    );
    expect(released.provider).toBeUndefined();
    expect(released.jobId).toBe(data.jobId);
    // A job event about some other service's job is ignored.
    await dispatch.accept('T20260105-0001-J1', GULOU_COMMUNITY, providerId);
  });
});
