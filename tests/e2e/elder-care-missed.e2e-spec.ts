// Missed visits end to end: nobody checks in, the visit is missed, its job withdrawn in dispatch and a second job
// offered; the supervisors see the misses, and the second miss in a row of an elder living alone escalates once to
// the community's emergency contact list (an elder living with family does not escalate).
import {
  call,
  eventually,
  jobWhen,
  offeredJob,
  oneOffVisit,
  providerUser,
  registerCaregiver,
  registerElder,
  startPlatform,
  supervisor,
  visitWhen,
  XIANXIA_ROAD,
  type ElderCarePlatform,
  type Json,
} from './support/linli';

/** Short timers by configuration: a miss five seconds after the due time, the re-dispatch five seconds after that. */
const GRACE_MS = 5_000;
const REDISPATCH_WINDOW_MS = 5_000;

describe('elder-care: missed visits, re-dispatch and escalation', () => {
  let platform: ElderCarePlatform;
  let caregiver: string;

  beforeAll(async () => {
    platform = await startPlatform(
      {
        VISIT_DISPATCH_LEAD_MS: String(10 * 60_000),
        VISIT_GRACE_MS: String(GRACE_MS),
        VISIT_REDISPATCH_WINDOW_MS: String(REDISPATCH_WINDOW_MS),
        VISIT_MAX_DISPATCHES: '2',
        ESCALATE_AFTER_MISSES: '2',
        OFFERS_PER_ROUND: '3',
      },
      { elderCare: true },
    );
    ({ providerId: caregiver } = await registerCaregiver(platform));
  });
  afterAll(() => platform?.stop());

  async function escalationsOf(elderId: string): Promise<Json[]> {
    const reply = await call(platform.elderCare, 'GET', `/escalations?community=${XIANXIA_ROAD}`, supervisor);
    expect(reply.status).toBe(200);
    return reply.body.items.filter((e: Json) => e.elderId === elderId);
  }

  it('misses a visit nobody checks in, re-dispatches it as a new job, and escalates the second miss of an elder living alone once', async () => {
    const communityContacts = [
      { name: '张建国', role: '社区书记', phone: '13800001111' },
      { name: '刘芳', role: '网格员', phone: '025-83201234' },
    ];
    const put = await call(
      platform.elderCare,
      'PUT',
      `/communities/${XIANXIA_ROAD}/emergency-contacts`,
      supervisor,
      { contacts: communityContacts },
    );
    expect(put.status).toBe(200);

    const alone = await registerElder(platform, { livingSituation: 'alone' });
    const withFamily = await registerElder(platform, { livingSituation: 'with-family' });
    // Due in 10 s, missed 5 s after: room for the first job to be offered before its miss withdraws it.
    const dueAt = new Date(Date.now() + 10_000);
    const { visitId } = await oneOffVisit(platform, alone, 'meal-delivery', dueAt);
    const { visitId: familyVisitId } = await oneOffVisit(platform, withFamily, 'meal-delivery', dueAt);

    // First dispatch: offered to the caregiver, who never answers.
    const first = await visitWhen(platform, visitId, (v) => v.jobId === `${visitId}-J1`, 'is dispatched');
    expect(first).toMatchObject({ status: 'dispatched', attempt: 1 });
    await offeredJob(platform, caregiver, `${visitId}-J1`);

    // No check-in within the grace period: missed, the first job withdrawn, a second job offered.
    const again = await visitWhen(
      platform,
      visitId,
      (v) => v.attempt === 2 && v.jobId === `${visitId}-J2`,
      'is re-dispatched',
    );
    expect(again.status).toBe('dispatched');
    expect(again.misses).toEqual([expect.objectContaining({ attempt: 1 })]);
    await jobWhen(platform, `${visitId}-J1`, (job) => job.status === 'cancelled', 'is cancelled');
    const second = await offeredJob(platform, caregiver, `${visitId}-J2`);
    expect(second).toMatchObject({ skill: 'meal-delivery', priority: 'urgent' });
    const afterOne = await call(platform.elderCare, 'GET', `/elders/${alone}`, supervisor);
    expect(afterOne.body.missedInARow).toBe(1);
    // The supervisors see the miss on the visit list of the community.
    const seen = await call(
      platform.elderCare,
      'GET',
      `/visits?community=${XIANXIA_ROAD}&elderId=${alone}`,
      supervisor,
    );
    expect(seen.status).toBe(200);
    expect(seen.body.items.find((v: Json) => v.visitId === visitId)?.misses).toHaveLength(1);

    // The second dispatch is missed too: the last allowed, so the visit stays missed and its job is withdrawn.
    const missed = await visitWhen(platform, visitId, (v) => v.status === 'missed', 'is missed for good');
    expect(missed).toMatchObject({ attempt: 2, jobId: `${visitId}-J2` });
    expect(missed.misses.map((m: Json) => m.attempt)).toEqual([1, 2]);
    await jobWhen(platform, `${visitId}-J2`, (job) => job.status === 'cancelled', 'is cancelled');
    expect((await call(platform.dispatch, 'GET', `/jobs/${visitId}-J3`, supervisor)).status).toBe(404);
    const offered = await call(platform.dispatch, 'GET', '/jobs/offered', providerUser(caregiver));
    expect(offered.body.items.filter((j: Json) => j.origin?.aggregateId === visitId)).toEqual([]);

    const missedList = await call(
      platform.elderCare,
      'GET',
      `/visits?community=${XIANXIA_ROAD}&status=missed`,
      supervisor,
    );
    expect(missedList.body.items.map((v: Json) => v.visitId)).toContain(visitId);

    // Two misses in a row for an elder living alone: one escalation, with the people to call in full.
    const [escalation] = await eventually(`the escalation of ${alone}`, async () => {
      const items = await escalationsOf(alone);
      return items.length > 0 ? items : undefined;
    });
    expect(escalation).toMatchObject({
      elderId: alone,
      community: XIANXIA_ROAD,
      reason: 'missed-visits-in-a-row',
      status: 'open',
    });
    expect(escalation.visitIds).toContain(visitId);
    // In full (a landline as its digits): the supervisor calls them.
    expect(escalation.contacts.community).toEqual(
      communityContacts.map((c) => expect.objectContaining({ ...c, phone: c.phone.replace(/-/g, '') })),
    );
    expect(escalation.contacts.elder).toEqual([
      expect.objectContaining({ name: '李明', relation: 'son', phone: '13912345678' }),
    ]);
    const afterTwo = await call(platform.elderCare, 'GET', `/elders/${alone}`, supervisor);
    expect(afterTwo.body.missedInARow).toBe(2);

    // The elder living with family missed the same way: no escalation for her.
    await visitWhen(platform, familyVisitId, (v) => v.status === 'missed', 'is missed for good');
    const family = await call(platform.elderCare, 'GET', `/elders/${withFamily}`, supervisor);
    expect(family.body.missedInARow).toBe(2);
    expect(await escalationsOf(withFamily)).toEqual([]);

    // Once: a while later (any retried timer has run) there is still exactly one.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await escalationsOf(alone)).toHaveLength(1);

    const acknowledged = await call(
      platform.elderCare,
      'POST',
      `/escalations/${escalation.escalationId}/acknowledge`,
      supervisor,
      { note: '已联系社区书记上门查看' },
    );
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body).toMatchObject({ status: 'acknowledged', note: '已联系社区书记上门查看' });
    const open = await call(
      platform.elderCare,
      'GET',
      `/escalations?community=${XIANXIA_ROAD}&status=open`,
      supervisor,
    );
    expect(open.body.items.map((e: Json) => e.escalationId)).not.toContain(escalation.escalationId);
  });
});
