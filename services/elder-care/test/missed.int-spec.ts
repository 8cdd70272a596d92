// Missed visits against the real stack, with the times shortened through configuration: no check-in by the deadline
// makes a visit missed, dispatched again with a new urgent job (the old one withdrawn), and missed for good after
// the last dispatch; the supervisors are told (visit.missed), and an elder living alone missed twice in a row is
// escalated once, with the community's emergency contact list and the elder's own contacts to call.
import { elderTopic, visitTopic, type CloudEvent } from '@linli/contracts';
import { authHeader, EventProbe, FakeDispatch, type ServiceProcess } from '@linli/testing';
import {
  call,
  eventually,
  GULOU_COMMUNITY,
  providerUser,
  startElderCare,
  supervisor,
  unique,
  type Json,
} from './support';
import { VisitFixtures, visitWhen } from './visits-support';

const TYPE = (name: string) => `linli.elder-care.${name}.v1`;
const JOB_TYPE = (name: string) => `linli.dispatch.${name}.v1`;
const LEAD_MS = 60_000;
// Long enough for the fake dispatch's accept to arrive first on a busy machine.
const GRACE_MS = 12_000;
const DUE_IN_MS = 5_000;
const COMMUNITY_CONTACTS = [
  { name: '张主任', role: '社区居委会主任', phone: '13700001111' },
  { name: '刘网格员', role: '网格员', phone: '02584561234' },
];

describe('elder-care: missed visits', () => {
  let service: ServiceProcess;
  let dispatch: FakeDispatch;
  let visits: EventProbe;
  let elders: EventProbe;
  let fixtures: VisitFixtures;

  beforeAll(async () => {
    service = await startElderCare({
      VISIT_DISPATCH_LEAD_MS: String(LEAD_MS),
      VISIT_GRACE_MS: String(GRACE_MS),
      VISIT_REDISPATCH_WINDOW_MS: '3000',
      VISIT_MAX_DISPATCHES: '2',
      ESCALATE_AFTER_MISSES: '2',
      SCHEDULING_RECONCILE_INTERVAL_MS: '1000',
    });
    [dispatch, visits, elders, fixtures] = await Promise.all([
      FakeDispatch.start({ clientId: 'elder-care-test-dispatch' }),
      EventProbe.start({ topic: visitTopic.name }),
      EventProbe.start({ topic: elderTopic.name }),
      VisitFixtures.start(service),
    ]);
    await fixtures.communityContacts(GULOU_COMMUNITY, COMMUNITY_CONTACTS);
  });
  afterAll(async () => {
    await Promise.allSettled([dispatch?.stop(), visits?.stop(), elders?.stop(), fixtures?.stop()]);
    const code = await service?.stop();
    if (code !== 0 && code !== null && service) process.stderr.write(service.output());
  });

  // The two tests run at once (it.concurrent): each has elders and visits of its own, reads only their events and
  // escalations, and spends most of its time waiting for deadlines to pass, which both can as well do side by side.

  const missOf = (visitId: string, attempt: number) => (e: CloudEvent) =>
    e.type === TYPE('visit.missed') &&
    (e.data as Json).visitId === visitId &&
    (e.data as Json).attempt === attempt;

  async function escalationsOf(elderId: string, headers = supervisor()): Promise<Json[]> {
    const reply = await call(service, 'GET', `/escalations?community=${GULOU_COMMUNITY}`, headers);
    expect(reply.status).toBe(200);
    return (reply.body.items as Json[]).filter((item) => item.elderId === elderId);
  }

  /** A visit nobody checks in, missed at both its dispatches; the second visit.missed. */
  async function missedTwice(visitId: string): Promise<Json> {
    await visits.waitFor(missOf(visitId, 1), { timeoutMs: 60_000 });
    const [last] = await visits.waitFor(missOf(visitId, 2), { timeoutMs: 60_000 });
    return last.data as Json;
  }

  it.concurrent(
    'misses a visit nobody checked in, dispatches it again, and escalates the elder living alone once',
    async () => {
      const providerId = unique('prv');
      const elderId = await fixtures.elder({ livingSituation: 'alone' });
      const visitId = await fixtures.visit(elderId, 'safety-visit', DUE_IN_MS);
      const first = await dispatch.requested(visitId, 1);
      expect(first.data.priority).toBe('routine');
      await dispatch.accept(`${visitId}-J1`, GULOU_COMMUNITY, providerId);
      await visitWhen(service, visitId, (v) => v.status === 'assigned', 'is assigned');

      // First miss: told, the caregiver's job withdrawn, a new urgent job.
      const [miss] = await visits.waitFor(missOf(visitId, 1), { timeoutMs: 60_000 });
      expect(miss.data).toMatchObject({
        elderId,
        service: 'safety-visit',
        reason: 'no-check-in',
        providerId,
        redispatched: true,
        missedInARow: 1,
      });
      await dispatch.waitFor(JOB_TYPE('job.cancellation-requested'), `${visitId}-J1`);
      const second = await dispatch.requested(visitId, 2);
      expect(second.data).toMatchObject({
        origin: { service: 'elder-care', aggregateId: visitId },
        skill: 'safety-visit',
        priority: 'urgent',
      });
      // The caregiver who let it lapse no longer holds it.
      expect((await call(service, 'GET', `/visits/${visitId}`, providerUser(providerId))).status).toBe(404);

      // Second miss: missed for good, and the elder living alone is escalated.
      const last = await missedTwice(visitId);
      expect(last).toMatchObject({ redispatched: false, missedInARow: 2 });
      await dispatch.waitFor(JOB_TYPE('job.cancellation-requested'), `${visitId}-J2`);
      const missed = await visitWhen(service, visitId, (v) => v.status === 'missed', 'is missed for good');
      expect(missed.attempt).toBe(2);
      expect(missed.misses.map((m: Json) => m.attempt)).toEqual([1, 2]);
      expect(missed.misses[0].providerId).toBe(providerId);

      const [escalated] = await elders.waitFor(
        (e) => e.type === TYPE('elder.escalated') && (e.data as Json).elderId === elderId,
        { timeoutMs: 30_000 },
      );
      expect(escalated.subject).toBe(elderId);
      expect(escalated.data).toMatchObject({
        jurisdiction: GULOU_COMMUNITY,
        reason: 'missed-visits-in-a-row',
        visitIds: [visitId],
        livingSituation: 'alone',
      });
      const [escalation] = await escalationsOf(elderId);
      expect(escalation).toMatchObject({
        escalationId: (escalated.data as Json).escalationId,
        community: GULOU_COMMUNITY,
        reason: 'missed-visits-in-a-row',
        visitIds: [visitId],
        status: 'open',
        contacts: {
          community: COMMUNITY_CONTACTS,
          elder: [{ name: '李明', relation: 'son', phone: '13912345678' }],
        },
      });
      expect(await escalationsOf(elderId)).toHaveLength(1);
      expect(await escalationsOf(elderId, authHeader('coordinator', '320106', { sub: 'co-1' }))).toHaveLength(
        1,
      );
      expect(
        elders.events.filter((e) => e.type === TYPE('elder.escalated') && e.subject === elderId),
      ).toHaveLength(1);

      // Another district sees nothing of it; the supervisor acknowledges it once.
      const xuanwu = authHeader('supervisor', '320102', { sub: 'sup-xuanwu' });
      const elsewhere = await call(service, 'GET', '/escalations', xuanwu);
      expect((elsewhere.body.items as Json[]).map((i) => i.elderId)).not.toContain(elderId);
      const path = `/escalations/${escalation.escalationId}/acknowledge`;
      expect((await call(service, 'POST', path, xuanwu, {})).status).toBe(404);
      const ack = await call(service, 'POST', path, supervisor(), { note: '已联系社区主任上门查看' });
      expect(ack.status).toBe(200);
      expect(ack.body).toMatchObject({
        status: 'acknowledged',
        acknowledgedBy: 'sup-1',
        note: '已联系社区主任上门查看',
      });
      const again = await call(service, 'POST', path, supervisor(), {});
      expect(again.status).toBe(409);
      expect(again.body.current).toMatchObject({ status: 'acknowledged' });
      const open = await call(
        service,
        'GET',
        `/escalations?status=open&community=${GULOU_COMMUNITY}`,
        supervisor(),
      );
      expect((open.body.items as Json[]).map((i) => i.elderId)).not.toContain(elderId);
    },
  );

  it.concurrent(
    'does not escalate an elder who does not live alone, and a check-in starts the count again',
    async () => {
      const elderId = await fixtures.elder({ livingSituation: 'with-family' });
      const lapsed = await fixtures.visit(elderId, 'cleaning', DUE_IN_MS);
      expect(await missedTwice(lapsed)).toMatchObject({ redispatched: false, missedInARow: 2 });

      // A visit checked in in time: not missed, and the elder's run of misses is over.
      const providerId = unique('prv');
      const kept = await fixtures.visit(elderId, 'companionship', DUE_IN_MS);
      await dispatch.requested(kept, 1);
      await dispatch.accept(`${kept}-J1`, GULOU_COMMUNITY, providerId);
      await visitWhen(service, kept, (v) => v.status === 'assigned', 'is assigned');
      const checkIn = await call(service, 'POST', `/visits/${kept}/check-in`, providerUser(providerId), {});
      expect(checkIn.status).toBe(200);

      const next = await fixtures.visit(elderId, 'bathing', DUE_IN_MS);
      const [miss] = await visits.waitFor(missOf(next, 1), { timeoutMs: 60_000 });
      expect((miss.data as Json).missedInARow).toBe(1);
      // By now the kept visit's deadline has long passed: still checked in, never missed.
      await eventually(`the deadline of ${kept} passed`, async () => {
        const visit = await call(service, 'GET', `/visits/${kept}`, supervisor());
        return new Date(visit.body.missedAfter).getTime() < Date.now() ? visit.body : undefined;
      });
      const keptNow = await call(service, 'GET', `/visits/${kept}`, supervisor());
      expect(keptNow.body).toMatchObject({ status: 'checked-in', misses: [] });
      expect(visits.events.filter(missOf(kept, 1))).toHaveLength(0);

      await missedTwice(next);
      expect(await escalationsOf(elderId)).toEqual([]);
      expect(
        elders.events.filter((e) => e.type === TYPE('elder.escalated') && e.subject === elderId),
      ).toEqual([]);
    },
  );
});
