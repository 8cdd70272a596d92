// The outcome of a mediation against the real Kafka, MongoDB-wire server and Redis: refused before a session is
// held and a second time (409 with the reason), bad bodies refused naming the field; an agreement plans its
// follow-ups, a failure or referral closes the case; outcome.recorded carries whether the time limit was kept and
// the ticket of a case that came from one.
import { caseTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import {
  DAY_MS,
  HOUR_MS,
  MediationDb,
  assignedCase,
  caseType,
  chinaDay,
  holdSession,
} from './sessions-support';
import {
  call,
  caseBody,
  eventually,
  GULOU_COMMUNITY,
  mediatorUser,
  startMediation,
  supervisor,
  TicketEvents,
  ticketId,
  twoParties,
  unique,
  type Json,
  type ServiceProcess,
} from './support';

/** Consumer disputes get a time limit of seconds here, to record an outcome past it. */
const SHORT_LIMIT_MS = 3_000;
const FOLLOW_UP_AFTER_MS = 7 * DAY_MS;

describe('mediation outcomes', () => {
  let mediation: ServiceProcess;
  let caseEvents: EventProbe;
  let tickets: TicketEvents;
  let db: MediationDb;

  beforeAll(async () => {
    mediation = await startMediation({
      CASE_TIME_LIMITS_BY_TYPE: JSON.stringify({ consumer: SHORT_LIMIT_MS }),
      FOLLOW_UP_AFTER_MS: String(FOLLOW_UP_AFTER_MS),
    });
    [caseEvents, tickets, db] = await Promise.all([
      EventProbe.start({ topic: caseTopic.name }),
      TicketEvents.start(),
      MediationDb.connect(),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([mediation?.stop(), caseEvents?.stop(), tickets?.stop(), db?.close()]);
  });

  const eventOf = async (caseId: string, type: string): Promise<CloudEvent<Json>> =>
    (
      await caseEvents.waitFor((event) => event.subject === caseId && event.type === caseType(type))
    )[0] as CloudEvent<Json>;

  const agreement = (
    terms = [{ text: '楼上住户修复防水层 / fix the waterproofing', dueDate: chinaDay(10) }],
  ) => ({
    kind: 'agreement',
    reason: '双方自愿达成协议 / both agreed',
    agreement: { text: '人民调解协议书 / the agreement', terms },
  });

  it('refuses an outcome before any session is held: 409 with the reason', async () => {
    const { caseId, as } = await assignedCase(mediation);
    const none = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, agreement());
    expect(none.status).toBe(409);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.body.detail).toBe('an outcome needs a session held first');
    expect(none.body.current).toEqual({ status: 'assigned', version: 0 });

    // A session scheduled is not a session held.
    await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor: new Date(Date.now() + DAY_MS).toISOString(),
      place: '调解室',
    });
    const scheduled = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, agreement());
    expect(scheduled.status).toBe(409);
    expect(scheduled.body.detail).toBe('an outcome needs a session held first');
    expect(scheduled.body.current.status).toBe('in-mediation');
  });

  it('records an agreement: the case agreed, its follow-up planned, scheduled sessions called off, the time limit ended', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await holdSession(mediation, caseId, as);
    await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor: new Date(Date.now() + 2 * DAY_MS).toISOString(),
      place: '调解室',
    });
    const before = await db.case(caseId);
    const reply = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, {
      ...agreement([
        { text: '赔偿 2000 元 / pay 2000 yuan', dueDate: chinaDay(0) },
        { text: '修复防水层 / fix the waterproofing', dueDate: chinaDay(14) },
      ]),
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      caseId,
      status: 'agreed',
      outcome: {
        kind: 'agreement',
        withinTimeLimit: true,
        agreement: { followUpPlan: 'after-period', terms: [{ termId: 'T1' }, { termId: 'T2' }] },
      },
      followUps: [{ followUpId: 'F1', termIds: ['T1', 'T2'], status: 'scheduled' }],
    });
    const followUpDueAt = Date.parse(reply.body.followUps[0].dueAt);
    expect(followUpDueAt - Date.parse(reply.body.outcome.at)).toBe(FOLLOW_UP_AFTER_MS);

    const recorded = await eventOf(caseId, 'outcome.recorded');
    expect(recorded.data).toMatchObject({
      caseId,
      caseType: 'neighbour',
      outcome: 'agreement',
      termCount: 2,
      followUpDueAts: [new Date(followUpDueAt).toISOString()],
      withinTimeLimit: true,
    });
    expect(recorded.data.ticketId).toBeUndefined();
    // No agreement text or terms on Kafka.
    expect(JSON.stringify(recorded)).not.toContain('赔偿');
    const cancelled = await eventOf(caseId, 'session.cancelled');
    expect(cancelled.data.sessionId).toBe('S2');

    const followUpRows = await db.scheduledWork(`follow-up-due:${caseId}:`);
    expect(followUpRows.map((row) => [row.jobId, row.status])).toEqual([
      [`follow-up-due:${caseId}:F1`, 'pending'],
    ]);
    const limitRows = await db.scheduledWork(`case-time-limit:${caseId}:`);
    expect(limitRows.map((row) => [row.jobId, row.status])).toEqual([
      [`case-time-limit:${caseId}:${new Date(before!.timeLimitAt).getTime()}`, 'cancelled'],
    ]);
    const reminderRows = await db.scheduledWork(`session-reminder:${caseId}:S2:`);
    expect(reminderRows.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);

    const second = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, {
      kind: 'failed',
      reason: '又谈崩了',
    });
    expect(second.status).toBe(409);
    expect(second.body.detail).toBe(`case ${caseId} already has its outcome (agreement)`);
    expect(second.body.current.status).toBe('agreed');
  });

  it('records a failure: the case closed (failed), case.closed', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await holdSession(mediation, caseId, as);
    const reply = await call(mediation, 'POST', `/cases/${caseId}/outcome`, supervisor(), {
      kind: 'failed',
      reason: '双方分歧过大 / too far apart',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'closed', closed: { reason: 'failed' }, followUps: [] });
    expect((await eventOf(caseId, 'outcome.recorded')).data).toMatchObject({
      outcome: 'failed',
      actorId: 'sup-1',
    });
    expect((await eventOf(caseId, 'case.closed')).data).toMatchObject({ reason: 'failed' });
  });

  it('records a referral upward: the case closed (referred), with where it went', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await holdSession(mediation, caseId, as);
    const reply = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, {
      kind: 'referred',
      reason: '涉及房屋产权，需诉讼 / a property title: for the court',
      referredTo: 'court',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'closed',
      outcome: { kind: 'referred', referredTo: 'court' },
    });
    expect((await eventOf(caseId, 'outcome.recorded')).data).toMatchObject({
      outcome: 'referred',
      referredTo: 'court',
    });
    expect((await eventOf(caseId, 'case.closed')).data).toMatchObject({ reason: 'referred' });
  });

  it('refuses bad outcomes with 400 naming the field, and the wrong people with 403', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await holdSession(mediation, caseId, as);
    const cases: Array<[Json, string]> = [
      [{ kind: 'agreement', reason: 'r' }, 'agreement'],
      [{ kind: 'referred', reason: 'r' }, 'referredTo'],
      [{ kind: 'failed', reason: 'r', referredTo: 'court' }, 'referredTo'],
      [{ kind: 'settled', reason: 'r' }, 'kind'],
      [{ kind: 'failed', reason: '' }, 'reason'],
      [{ ...agreement(), agreement: { text: 't', terms: [] } }, 'agreement.terms'],
      [agreement([{ text: 'a', dueDate: chinaDay(-1) }]), 'agreement.terms.0.dueDate'],
      [agreement([{ text: 'a', dueDate: '2026-02-30' }]), 'agreement.terms.0.dueDate'],
      [
        {
          ...agreement(),
          agreement: { text: 't', terms: [{ text: 'a', dueDate: chinaDay(1) }], followUpPlan: 'never' },
        },
        'agreement.followUpPlan',
      ],
    ];
    for (const [body, field] of cases) {
      const reply = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, body);
      expect([reply.status, reply.body.errors?.map((error: Json) => error.field)]).toEqual([400, [field]]);
    }
    expect(
      (await call(mediation, 'POST', `/cases/${caseId}/outcome`, mediatorUser('med-x'), agreement())).status,
    ).toBe(403);
    // Nothing was written by the refusals.
    expect((await db.case(caseId))?.status).toBe('in-mediation');
  });

  it('says the outcome came after the time limit when it did', async () => {
    const { caseId, as } = await assignedCase(mediation, caseBody({ caseType: 'consumer' }));
    const opened = await db.case(caseId);
    await holdSession(mediation, caseId, as);
    await eventually('the consumer case’s short time limit to pass', async () =>
      Date.now() > new Date(opened!.timeLimitAt).getTime() ? true : undefined,
    );
    const reply = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, {
      kind: 'failed',
      reason: '超期未果',
    });
    expect(reply.status).toBe(200);
    expect(reply.body.outcome.withinTimeLimit).toBe(false);
    expect((await eventOf(caseId, 'outcome.recorded')).data.withinTimeLimit).toBe(false);
  });

  it('outcome.recorded of a case from a ticket carries the ticket and whether the limit was kept', async () => {
    const ticket = ticketId();
    await tickets.disputeRouted(ticket, GULOU_COMMUNITY);
    const caseId = `C-${ticket}`;
    await eventually('the ticket’s case', async () => {
      const reply = await call(mediation, 'GET', `/cases/${caseId}`, supervisor());
      return reply.status === 200 ? reply.body : undefined;
    });
    const mediatorId = unique('med-');
    const assigned = await call(mediation, 'POST', `/cases/${caseId}/assign`, supervisor(), { mediatorId });
    expect(assigned.status).toBe(200);
    const as = mediatorUser(mediatorId);
    const parties = await call(mediation, 'PUT', `/cases/${caseId}/parties`, as, { parties: twoParties() });
    expect(parties.status).toBe(200);
    await holdSession(mediation, caseId, as);
    const reply = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, agreement());
    expect(reply.status).toBe(200);

    const recorded = await eventOf(caseId, 'outcome.recorded');
    expect(recorded.data).toMatchObject({
      caseId,
      ticketId: ticket,
      outcome: 'agreement',
      withinTimeLimit: true,
      actorId: `user-${mediatorId}`,
    });
    expect(Date.parse(recorded.data.openedAt)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(recorded.data.followUpDueAts[0])).toBeGreaterThan(
      Date.now() + FOLLOW_UP_AFTER_MS - HOUR_MS,
    );
  });
});
