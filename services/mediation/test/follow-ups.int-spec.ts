// Follow-up visits after an agreement (回访) against the real Kafka, MongoDB-wire server and Redis, with the visit
// after a period shortened to seconds: the follow-up falls due (followup.due) and enters the worklists; all terms
// kept closes the case (agreement kept); a term not kept reopens it (a new time limit with its timer) or refers it;
// per-term plans visit at each due date; a case without an agreement has nothing to follow up (409).
import { caseTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import {
  HOUR_MS,
  MediationDb,
  agreedCase,
  assignedCase,
  caseType,
  chinaDay,
  holdSession,
} from './sessions-support';
import {
  call,
  eventually,
  mediatorUser,
  startMediation,
  supervisor,
  type Json,
  type ServiceProcess,
} from './support';

const FOLLOW_UP_AFTER_MS = 3_000;
const REOPEN_LIMIT_MS = 2 * HOUR_MS;

const twoTerms = () => ({
  text: '人民调解协议书 / the agreement',
  terms: [
    { text: '赔偿 2000 元 / pay 2000 yuan', dueDate: chinaDay(0) },
    { text: '修复防水层 / fix the waterproofing', dueDate: chinaDay(3) },
  ],
});

describe('mediation follow-ups', () => {
  let mediation: ServiceProcess;
  let caseEvents: EventProbe;
  let db: MediationDb;

  beforeAll(async () => {
    mediation = await startMediation({
      FOLLOW_UP_AFTER_MS: String(FOLLOW_UP_AFTER_MS),
      CASE_REOPEN_TIME_LIMIT_MS: String(REOPEN_LIMIT_MS),
    });
    [caseEvents, db] = await Promise.all([
      EventProbe.start({ topic: caseTopic.name }),
      MediationDb.connect(),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([mediation?.stop(), caseEvents?.stop(), db?.close()]);
  });

  const eventOf = async (caseId: string, type: string, extra: (data: Json) => boolean = () => true) =>
    (
      await caseEvents.waitFor(
        (event) => event.subject === caseId && event.type === caseType(type) && extra(event.data as Json),
      )
    )[0] as CloudEvent<Json>;

  const dueList = async (as: Record<string, string>): Promise<Json[]> => {
    const reply = await call(mediation, 'GET', '/follow-ups/due?pageSize=100', as);
    expect(reply.status).toBe(200);
    return reply.body.items as Json[];
  };

  it('an agreement’s follow-up falls due, is listed, and all terms kept closes the case', async () => {
    const { caseId, as, outcome } = await agreedCase(mediation, twoTerms());
    expect(outcome.followUps).toMatchObject([
      { followUpId: 'F1', termIds: ['T1', 'T2'], status: 'scheduled' },
    ]);

    const due = await eventOf(caseId, 'followup.due');
    expect(due.data).toMatchObject({ caseId, followUpId: 'F1', dueAt: outcome.followUps[0].dueAt });
    expect(Date.parse(due.time!)).toBeGreaterThanOrEqual(Date.parse(outcome.followUps[0].dueAt));
    const listed = await eventually('the follow-up in the mediator’s worklist', async () =>
      (await dueList(as)).find((item) => item.caseId === caseId && item.status === 'due'),
    );
    expect(listed).toMatchObject({
      followUpId: 'F1',
      termIds: ['T1', 'T2'],
      mediatorId: due.data.mediatorId,
    });
    expect((await dueList(supervisor())).some((item) => item.caseId === caseId)).toBe(true);
    expect((await dueList(mediatorUser('med-someone-else'))).some((item) => item.caseId === caseId)).toBe(
      false,
    );
    expect((await dueList(supervisor('320102'))).some((item) => item.caseId === caseId)).toBe(false);

    const recorded = await call(mediation, 'POST', `/cases/${caseId}/follow-ups/F1`, as, {
      terms: [
        { termId: 'T1', kept: true },
        { termId: 'T2', kept: true, note: '已修好 / fixed' },
      ],
      note: '回访双方，均表示满意',
    });
    expect(recorded.status).toBe(200);
    expect(recorded.body).toMatchObject({
      status: 'closed',
      closed: { reason: 'agreement-kept' },
      followUps: [{ followUpId: 'F1', status: 'recorded', result: { decision: 'close' } }],
    });
    expect((await eventOf(caseId, 'followup.recorded')).data).toMatchObject({
      followUpId: 'F1',
      termsKept: 2,
      termsNotKept: 0,
      decision: 'close',
    });
    expect((await eventOf(caseId, 'case.closed')).data).toMatchObject({ reason: 'agreement-kept' });
    expect((await dueList(as)).some((item) => item.caseId === caseId)).toBe(false);

    const again = await call(mediation, 'POST', `/cases/${caseId}/follow-ups/F1`, as, {
      terms: [
        { termId: 'T1', kept: true },
        { termId: 'T2', kept: true },
      ],
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe(`no agreement to follow up: case ${caseId} is closed (agreement-kept)`);
  });

  it('per term: one follow-up per due date at 10:00 China time; recorded early, the first continues, the last closes', async () => {
    const { caseId, as, outcome } = await agreedCase(mediation, {
      text: '协议',
      terms: [
        { text: 'a', dueDate: chinaDay(5) },
        { text: 'b', dueDate: chinaDay(2) },
        { text: 'c', dueDate: chinaDay(5) },
      ],
      followUpPlan: 'per-term',
    });
    const morning = (date: string) => new Date(`${date}T10:00:00.000+08:00`).toISOString();
    expect(outcome.followUps).toEqual([
      { followUpId: 'F1', dueAt: morning(chinaDay(2)), termIds: ['T2'], status: 'scheduled' },
      { followUpId: 'F2', dueAt: morning(chinaDay(5)), termIds: ['T1', 'T3'], status: 'scheduled' },
    ]);
    const rows = await db.scheduledWork(`follow-up-due:${caseId}:`);
    expect(rows.map((row) => [row.jobId, row.status, new Date(row.dueAt).toISOString()])).toEqual([
      [`follow-up-due:${caseId}:F1`, 'pending', morning(chinaDay(2))],
      [`follow-up-due:${caseId}:F2`, 'pending', morning(chinaDay(5))],
    ]);

    const first = await call(mediation, 'POST', `/cases/${caseId}/follow-ups/F2`, as, {
      terms: [
        { termId: 'T1', kept: true },
        { termId: 'T3', kept: true },
      ],
    });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('agreed');
    expect(
      (await eventOf(caseId, 'followup.recorded', (data) => data.followUpId === 'F2')).data.decision,
    ).toBe('continue');
    const last = await call(mediation, 'POST', `/cases/${caseId}/follow-ups/F1`, as, {
      terms: [{ termId: 'T2', kept: true }],
    });
    expect(last.body).toMatchObject({ status: 'closed', closed: { reason: 'agreement-kept' } });
    // Recorded early, neither follow-up's timer is left to fire.
    const after = await db.scheduledWork(`follow-up-due:${caseId}:`);
    expect(after.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('a term not kept, reopen: in mediation again with a new time limit and its timer, case.reopened', async () => {
    const { caseId, as } = await agreedCase(mediation, {
      ...twoTerms(),
      // Not due for a week: the visit is recorded early.
      followUpPlan: 'per-term',
      terms: [{ text: '修复防水层', dueDate: chinaDay(7) }],
    });
    const reply = await call(mediation, 'POST', `/cases/${caseId}/follow-ups/F1`, as, {
      terms: [{ termId: 'T1', kept: false, note: '仍在漏水 / still leaking' }],
      ifNotKept: 'reopen',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'in-mediation',
      previousOutcomes: [{ kind: 'agreement' }],
      followUps: [{ followUpId: 'F1', status: 'recorded', result: { decision: 'reopen' } }],
    });
    expect(reply.body.outcome).toBeUndefined();
    const limit = Date.parse(reply.body.timeLimitAt);
    expect(limit).toBeGreaterThan(Date.now() + REOPEN_LIMIT_MS - 60_000);
    expect(limit).toBeLessThanOrEqual(Date.now() + REOPEN_LIMIT_MS);

    const reopened = await eventOf(caseId, 'case.reopened');
    expect(reopened.data).toMatchObject({ reason: 'term-not-kept', timeLimitAt: reply.body.timeLimitAt });
    expect((await eventOf(caseId, 'followup.recorded')).data).toMatchObject({
      termsNotKept: 1,
      decision: 'reopen',
    });
    const limitRows = await db.scheduledWork(`case-time-limit:${caseId}:`);
    expect(limitRows.filter((row) => row.status === 'pending').map((row) => row.jobId)).toEqual([
      `case-time-limit:${caseId}:${limit}`,
    ]);

    // Mediation goes on: the next agreement's terms and follow-ups are numbered on.
    const next = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, {
      kind: 'agreement',
      reason: '再次调解达成协议',
      agreement: { text: '补充协议', terms: [{ text: '一周内修好', dueDate: chinaDay(7) }] },
    });
    expect(next.status).toBe(200);
    expect(next.body.outcome.agreement.terms.map((term: Json) => term.termId)).toEqual(['T2']);
    expect(next.body.followUps.map((followUp: Json) => followUp.followUpId)).toEqual(['F1', 'F2']);
  });

  it('a term not kept, refer: the case closed as referred, outcome.recorded (referred) and case.closed', async () => {
    const { caseId, as } = await agreedCase(mediation, {
      ...twoTerms(),
      followUpPlan: 'per-term',
    });
    const reply = await call(mediation, 'POST', `/cases/${caseId}/follow-ups/F1`, as, {
      terms: [{ termId: 'T1', kept: false }],
      ifNotKept: 'refer',
      referredTo: 'district-centre',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      status: 'closed',
      closed: { reason: 'referred' },
      outcome: { kind: 'referred', referredTo: 'district-centre' },
      previousOutcomes: [{ kind: 'agreement' }],
      followUps: [
        { followUpId: 'F1', status: 'recorded' },
        { followUpId: 'F2', status: 'cancelled' },
      ],
    });
    expect(
      (await eventOf(caseId, 'outcome.recorded', (data) => data.outcome === 'referred')).data,
    ).toMatchObject({ referredTo: 'district-centre' });
    expect((await eventOf(caseId, 'case.closed')).data).toMatchObject({ reason: 'referred' });
    // F1 (today 10:00) may have fired already; F2's timer is withdrawn, nothing is left to fire.
    const rows = await db.scheduledWork(`follow-up-due:${caseId}:`);
    expect(rows.find((row) => row.jobId === `follow-up-due:${caseId}:F2`)?.status).toBe('cancelled');
    expect(rows.filter((row) => row.status === 'pending')).toEqual([]);
  });

  it('refuses a follow-up on a failed case (409), and bad visits with 400 naming the field', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await holdSession(mediation, caseId, as);
    await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, { kind: 'failed', reason: '调解不成' });
    const onFailed = await call(mediation, 'POST', `/cases/${caseId}/follow-ups/F1`, as, {
      terms: [{ termId: 'T1', kept: true }],
    });
    expect(onFailed.status).toBe(409);
    expect(onFailed.body.detail).toBe(`no agreement to follow up: case ${caseId} is closed (failed)`);
    expect(onFailed.body.current.status).toBe('closed');

    const agreed = await agreedCase(mediation, twoTerms());
    const path = `/cases/${agreed.caseId}/follow-ups/F1`;
    const cases: Array<[Json, string]> = [
      [{ terms: [{ termId: 'T1', kept: true }] }, 'terms'],
      [{ terms: [] }, 'terms'],
      [
        {
          terms: [
            { termId: 'T1', kept: true },
            { termId: 'T2', kept: false },
          ],
        },
        'ifNotKept',
      ],
      [
        {
          terms: [
            { termId: 'T1', kept: true },
            { termId: 'T2', kept: false },
          ],
          ifNotKept: 'refer',
        },
        'referredTo',
      ],
      [{ terms: [{ termId: 'X1', kept: true }] }, 'terms.0.termId'],
    ];
    for (const [body, field] of cases) {
      const reply = await call(mediation, 'POST', path, agreed.as, body);
      expect([reply.status, reply.body.errors?.map((error: Json) => error.field)]).toEqual([400, [field]]);
    }
    expect(
      (
        await call(mediation, 'POST', `/cases/${agreed.caseId}/follow-ups/F9`, agreed.as, {
          terms: [{ termId: 'T1', kept: true }],
        })
      ).status,
    ).toBe(404);
  });
});
