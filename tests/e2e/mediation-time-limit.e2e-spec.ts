// A case's time limit and the order of things, with resident-requests, dispatch and mediation running as processes:
// a case past its limit escalates one level up once, an extension is granted once, commands out of order are refused
// with 409 and the reason, and a session moved twice is reminded of at its final time only.
import { caseEscalated, caseTopic, sessionReminderDue } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import {
  call,
  caseWhen,
  GULOU,
  mediatorUser,
  NINGHAI_ROAD_STREET,
  openCase,
  registerMediator,
  startPlatform,
  waitUntil,
  type Caller,
  type Json,
  type MediationPlatform,
} from './support/linli';

/** Every case of this file runs out of time this soon after it opens. */
const TIME_LIMIT_MS = 5_000;
/** Reminders 10 s and 5 s before a session. */
const REMINDER_LEADS_MS = [10_000, 5_000];

describe('a mediation case’s time limit and the order of its steps', () => {
  let platform: MediationPlatform;
  let events: EventProbe;
  let mediatorId: string;
  let mediator: Caller;

  beforeAll(async () => {
    platform = await startPlatform(
      { CASE_TIME_LIMIT_MS: String(TIME_LIMIT_MS), SESSION_REMINDER_LEADS_MS: REMINDER_LEADS_MS.join(',') },
      { mediation: true },
    );
    ({ providerId: mediatorId } = await registerMediator(platform));
    mediator = mediatorUser(mediatorId);
    events = await EventProbe.start({ topic: caseTopic.name });
  });
  afterAll(async () => {
    await events?.stop();
    await platform?.stop();
  });

  /** A case the mediator opens themselves: theirs at once, no dispatch request (so no escalation but the limit's). */
  async function mediatorsCase(): Promise<string> {
    const opened = await openCase(platform, mediator);
    expect(opened).toMatchObject({
      status: 'assigned',
      source: 'mediator',
      mediator: { mediatorId, via: 'manual' },
    });
    return opened.caseId as string;
  }

  const escalationsOf = (caseId: string) =>
    events.events.filter((e) => e.type === caseEscalated.type && e.subject === caseId);

  it('escalates a case past its time limit to the street above its community, once', async () => {
    const caseId = await mediatorsCase();
    const escalated = await caseWhen(platform, caseId, (c) => c.escalations.length >= 1, 'is escalated');
    expect(escalated.escalations).toEqual([
      expect.objectContaining({ reason: 'time-limit-breached', escalatedTo: NINGHAI_ROAD_STREET, level: 1 }),
    ]);
    expect(escalated.withinTimeLimit).toBe(false);
    expect(escalated.status).toBe('assigned');
    await events.waitFor((e) => e.type === caseEscalated.type && e.subject === caseId);

    // Well after the limit (any redelivery of its timer long done): still the one escalation.
    await waitUntil(new Date(Date.parse(escalated.timeLimitAt) + 4 * TIME_LIMIT_MS));
    const later = await call(platform.mediation, 'GET', `/cases/${caseId}`, mediator);
    expect(later.body.escalations).toHaveLength(1);
    expect(escalationsOf(caseId)).toHaveLength(1);
  });

  it('extends the time limit once, the new limit’s breach escalating one level further; a second extension gets 409', async () => {
    const caseId = await mediatorsCase();
    await caseWhen(platform, caseId, (c) => c.escalations.length === 1, 'is escalated once');

    const untilAt = new Date(Date.now() + TIME_LIMIT_MS).toISOString();
    const extended = await call(platform.mediation, 'POST', `/cases/${caseId}/extend`, mediator, {
      untilAt,
      reason: '申请人外出务工，下周返回后再组织调解',
    });
    expect(extended.status).toBe(200);
    const moved = await caseWhen(platform, caseId, (c) => Boolean(c.extension), 'has its extension');
    expect(Date.parse(moved.timeLimitAt)).toBe(Date.parse(untilAt));
    expect(moved.extension).toMatchObject({ reason: '申请人外出务工，下周返回后再组织调解' });

    const again = await caseWhen(platform, caseId, (c) => c.escalations.length >= 2, 'is escalated again');
    expect(again.escalations[1]).toMatchObject({
      reason: 'time-limit-breached',
      escalatedTo: GULOU,
      level: 2,
    });

    const second = await call(platform.mediation, 'POST', `/cases/${caseId}/extend`, mediator, {
      untilAt: new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString(),
      reason: '再次延期',
    });
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toContain('application/problem+json');
    expect(second.body.detail).toMatch(/already extended/i);
    expect(second.body.current).toMatchObject({ status: 'assigned', version: expect.any(Number) });
  });

  it('refuses an outcome before a session is held, a second outcome and a follow-up on a failed case, with the reason', async () => {
    const caseId = await mediatorsCase();
    const failed = { kind: 'failed', reason: '被申请人拒绝参加调解' };

    const early = await call(platform.mediation, 'POST', `/cases/${caseId}/outcome`, mediator, failed);
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/session held/i);
    expect(early.body.current).toMatchObject({ status: 'assigned', version: expect.any(Number) });

    const scheduledFor = new Date(Date.now() + 6_000).toISOString();
    const scheduled = await call(platform.mediation, 'POST', `/cases/${caseId}/sessions`, mediator, {
      scheduledFor,
      place: '仙霞路社区人民调解室',
    });
    expect(scheduled.status).toBe(201);
    const sessionId: string = scheduled.body.sessionId;
    // Scheduled is not held.
    const notYet = await call(platform.mediation, 'POST', `/cases/${caseId}/outcome`, mediator, failed);
    expect(notYet.status).toBe(409);
    expect(notYet.body.detail).toMatch(/session held/i);

    await waitUntil(scheduledFor);
    const held = await call(
      platform.mediation,
      'POST',
      `/cases/${caseId}/sessions/${sessionId}/record`,
      mediator,
      {
        attendance: [
          { partyId: 'P1', present: true },
          { partyId: 'P2', present: false },
        ],
        minutes: '被申请人未到场，电话联系表示不接受调解。',
      },
    );
    expect(held.status).toBe(200);
    expect(
      (await call(platform.mediation, 'POST', `/cases/${caseId}/outcome`, mediator, failed)).status,
    ).toBe(200);
    const closed = await caseWhen(platform, caseId, (c) => c.status === 'closed', 'is closed');
    expect(closed).toMatchObject({ outcome: { kind: 'failed' }, closed: { reason: 'failed' } });

    const secondOutcome = await call(
      platform.mediation,
      'POST',
      `/cases/${caseId}/outcome`,
      mediator,
      failed,
    );
    expect(secondOutcome.status).toBe(409);
    expect(secondOutcome.body.current).toMatchObject({ status: 'closed' });

    const followUp = await call(platform.mediation, 'POST', `/cases/${caseId}/follow-ups/F1`, mediator, {
      terms: [{ termId: 'T1', kept: true }],
    });
    expect(followUp.status).toBe(409);
    expect(followUp.headers.get('content-type')).toContain('application/problem+json');
    expect(followUp.body.detail).toMatch(/no agreement to follow up/i);
    expect(followUp.body.current).toMatchObject({ status: 'closed', version: expect.any(Number) });
  });

  it('reminds of a session moved twice at its final time only: one set of reminders', async () => {
    const caseId = await mediatorsCase();
    const now = Date.now();
    // Later each time: had a move left a reminder of an earlier time behind, it would fire before the final ones.
    // The first time's longer lead falls 10 s after the scheduling: room for the two moves on a busy machine.
    const [first, second, final] = [20_000, 22_000, 24_000].map((ahead) =>
      new Date(now + ahead).toISOString(),
    ) as [string, string, string];
    const sessions = `/cases/${caseId}/sessions`;
    const scheduled = await call(platform.mediation, 'POST', sessions, mediator, {
      scheduledFor: first,
      place: '仙霞路社区人民调解室',
    });
    expect(scheduled.status).toBe(201);
    const sessionId: string = scheduled.body.sessionId;
    const moved = await call(platform.mediation, 'PUT', `${sessions}/${sessionId}`, mediator, {
      scheduledFor: second,
    });
    expect(moved.status).toBe(200);
    const movedAgain = await call(platform.mediation, 'PUT', `${sessions}/${sessionId}`, mediator, {
      scheduledFor: final,
      place: '宁海路街道人民调解委员会调解室',
    });
    expect(movedAgain.status).toBe(200);

    const finalDueAts = REMINDER_LEADS_MS.map((lead) => Date.parse(final) - lead).sort();
    const sentAts = (view: Json) =>
      view.sessions
        .find((s: Json) => s.sessionId === sessionId)
        .reminders.filter((r: Json) => r.sentAt)
        .map((r: Json) => Date.parse(r.dueAt))
        .sort();
    await caseWhen(
      platform,
      caseId,
      (c) => sentAts(c).length >= REMINDER_LEADS_MS.length,
      'has sent the reminders of its session',
      { timeoutMs: 90_000 },
    );
    // Past the final time, every reminder ever armed for the session is due: those that fired are the final ones.
    await waitUntil(final, 2_000);
    const view = (await call(platform.mediation, 'GET', `/cases/${caseId}`, mediator)).body;
    expect(sentAts(view)).toEqual(finalDueAts);
    const isReminder = (e: { type: string; subject?: string; data: unknown }) =>
      e.type === sessionReminderDue.type && e.subject === caseId && (e.data as Json).sessionId === sessionId;
    await events.waitFor(isReminder, { count: REMINDER_LEADS_MS.length });
    const fired = events.events.filter(isReminder);
    expect(fired.map((e) => Date.parse((e.data as Json).scheduledFor))).toEqual(
      REMINDER_LEADS_MS.map(() => Date.parse(final)),
    );
  });
});
