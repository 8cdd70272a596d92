// The issue's first must-hold, with resident-requests, dispatch and mediation running as processes: a neighbours'
// dispute called in to the hotline opens a mediation case by itself, a mediator takes it through dispatch, holds a
// session after its reminders, records an agreement, checks it on the follow-up visit and closes the case; the
// ticket follows the case to its resolution and gets its call-back (回访).
import { caseTopic, sessionReminderDue } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import {
  addDays,
  call,
  caseOfTicket,
  caseWhen,
  disputeParties,
  disputeTicket,
  eventually,
  localDate,
  mediatorUser,
  offeredJob,
  operator,
  registerMediator,
  startPlatform,
  ticketWhen,
  waitUntil,
  type Caller,
  type Json,
  type MediationPlatform,
} from './support/linli';

/**
 * Reminders 10 s and 5 s before a session 15 s ahead: both due within the test, in that order, the first 5 s after
 * the session is scheduled (room for its POST on a busy machine).
 */
const REMINDER_LEADS_MS = [10_000, 5_000];
const SESSION_AHEAD_MS = 15_000;

describe('a dispute called in to the hotline, mediated to a kept agreement', () => {
  let platform: MediationPlatform;
  let events: EventProbe;
  let mediatorId: string;
  let mediator: Caller;
  let ticketId: string;
  let reporterPhone: string;
  let caseId: string;
  let jobId: string;

  beforeAll(async () => {
    platform = await startPlatform(
      {
        SESSION_REMINDER_LEADS_MS: REMINDER_LEADS_MS.join(','),
        FOLLOW_UP_AFTER_MS: '4000',
      },
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

  it('opens a case by itself from the dispute ticket and asks dispatch for a mediator', async () => {
    const hotlineCall = disputeTicket();
    reporterPhone = (hotlineCall['reporter'] as { phone: string }).phone;
    const created = await call(platform.requests, 'POST', '/tickets', operator, hotlineCall);
    expect(created.status).toBe(201);
    ticketId = created.body.ticketId;
    await ticketWhen(
      platform,
      ticketId,
      (t) => t.status === 'routed' && t.routedTo === 'mediation',
      'is routed to mediation',
    );

    const found = await caseOfTicket(platform, ticketId);
    expect(found.items).toHaveLength(1);
    caseId = found.items[0].caseId;
    expect(caseId).toBe(`C-${ticketId}`);
    const opened = await caseWhen(platform, caseId, (c) => Boolean(c.request), 'has its mediator requested');
    expect(opened).toMatchObject({
      status: 'open',
      source: 'ticket',
      ticketId,
      communityCode: '320106001003',
      riskLevel: 'medium',
      parties: [],
      request: { jobId: `${caseId}-M1`, attempt: 1 },
    });
    jobId = opened.request.jobId;
  });

  it('is offered to the mediator of the area, who accepts it in dispatch and may then read the caller’s contact', async () => {
    const offer = await offeredJob(platform, mediatorId, jobId, mediator);
    expect(offer).toMatchObject({ category: 'dispute', skill: 'mediation' });
    // Offered is not held: the resident's contact stays hidden until the mediator holds the case.
    expect((await call(platform.requests, 'GET', `/tickets/${ticketId}/contact`, mediator)).status).toBe(404);

    const accepted = await call(platform.dispatch, 'POST', `/jobs/${jobId}/accept`, mediator);
    expect(accepted.status).toBe(200);
    const assigned = await caseWhen(platform, caseId, (c) => c.status === 'assigned', 'is assigned');
    expect(assigned.mediator).toMatchObject({ mediatorId, via: 'dispatch' });
    expect(assigned.request).toMatchObject({ jobId, status: 'accepted' });

    await ticketWhen(
      platform,
      ticketId,
      (t) => t.assignment?.providerId === mediatorId,
      'is held by the mediator',
    );
    const contact = await call(platform.requests, 'GET', `/tickets/${ticketId}/contact`, mediator);
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ ticketId, phone: reporterPhone, address: expect.any(String) });
  });

  it('takes the parties and the case type from the mediator, showing phones whole to them and masked to operators', async () => {
    const typed = await call(platform.mediation, 'PATCH', `/cases/${caseId}`, mediator, {
      caseType: 'neighbour',
    });
    expect(typed.status).toBe(200);
    const parties = disputeParties();
    const recorded = await call(platform.mediation, 'PUT', `/cases/${caseId}/parties`, mediator, { parties });
    expect(recorded.status).toBe(200);

    const mine = await call(platform.mediation, 'GET', `/cases/${caseId}`, mediator);
    expect(mine.body).toMatchObject({ caseType: 'neighbour', status: 'assigned' });
    expect(mine.body.parties).toEqual([
      expect.objectContaining({ partyId: 'P1', role: 'applicant', phone: parties[0]?.['phone'] }),
      expect.objectContaining({ partyId: 'P2', role: 'respondent', phone: parties[1]?.['phone'] }),
    ]);
    const operators = await call(platform.mediation, 'GET', `/cases/${caseId}`, operator);
    expect(operators.body.parties[0].phone).toMatch(/^139\*{4}\d{4}$/);
  });

  it('reminds the mediator and the parties before the session, at the times set, and then records it held', async () => {
    const scheduledFor = new Date(Date.now() + SESSION_AHEAD_MS).toISOString();
    const scheduled = await call(platform.mediation, 'POST', `/cases/${caseId}/sessions`, mediator, {
      scheduledFor,
      place: '仙霞路社区人民调解室',
    });
    expect(scheduled.status).toBe(201);
    const sessionId: string = scheduled.body.sessionId;
    await caseWhen(platform, caseId, (c) => c.status === 'in-mediation', 'is in mediation');

    const reminded = await caseWhen(
      platform,
      caseId,
      (c) =>
        sessionOf(c, sessionId).reminders.filter((r: Json) => r.sentAt).length === REMINDER_LEADS_MS.length,
      'has sent both reminders of its session',
    );
    for (const reminder of sessionOf(reminded, sessionId).reminders.filter((r: Json) => r.sentAt)) {
      expect(Date.parse(reminder.sentAt)).toBeGreaterThanOrEqual(Date.parse(reminder.dueAt));
    }
    const dueAts = sessionOf(reminded, sessionId)
      .reminders.filter((r: Json) => r.sentAt)
      .map((r: Json) => Date.parse(r.dueAt))
      .sort();
    expect(dueAts).toEqual(REMINDER_LEADS_MS.map((lead) => Date.parse(scheduledFor) - lead).sort());
    const reminders = await events.waitFor(
      (e) => e.type === sessionReminderDue.type && e.subject === caseId,
      { count: REMINDER_LEADS_MS.length },
    );
    for (const event of reminders) {
      expect(event.data).toMatchObject({
        sessionId,
        mediatorId,
        scheduledFor,
        audiences: expect.arrayContaining(['mediator', 'parties']),
        partyCount: 2,
      });
    }

    await waitUntil(scheduledFor);
    const held = await call(
      platform.mediation,
      'POST',
      `/cases/${caseId}/sessions/${sessionId}/record`,
      mediator,
      {
        attendance: [
          { partyId: 'P1', present: true },
          { partyId: 'P2', present: true },
        ],
        minutes: '双方陈述了各自意见，同意晚上十点后停止施工，并由楼上住户承担维修费用。',
      },
    );
    expect(held.status).toBe(200);
    await caseWhen(
      platform,
      caseId,
      (c) => sessionOf(c, sessionId).status === 'held',
      'has its session held',
    );
  });

  it('records the agreement, whose follow-up visit comes due and, all kept, closes the case', async () => {
    const agreed = await call(platform.mediation, 'POST', `/cases/${caseId}/outcome`, mediator, {
      kind: 'agreement',
      reason: '双方自愿达成调解协议',
      agreement: {
        text: '楼上住户每日 22:00 后及 12:00-14:00 不施工，并赔偿楼下住户墙面修补费用 800 元。',
        terms: [{ text: '每日 22:00 后不施工', dueDate: addDays(localDate(new Date()), 7) }],
      },
    });
    expect(agreed.status).toBe(200);
    const withAgreement = await caseWhen(platform, caseId, (c) => c.status === 'agreed', 'is agreed');
    expect(withAgreement).toMatchObject({
      status: 'agreed',
      outcome: { kind: 'agreement', withinTimeLimit: true },
      followUps: [expect.objectContaining({ followUpId: 'F1', status: 'scheduled' })],
    });

    await caseWhen(platform, caseId, (c) => c.followUps[0]?.status === 'due', 'has its follow-up due');
    await eventually('the follow-up in the mediator’s list of due follow-ups', async () => {
      const due = await call(platform.mediation, 'GET', '/follow-ups/due', mediator);
      return due.status === 200 && due.body.items.some((f: Json) => f.caseId === caseId) ? true : undefined;
    });

    const kept = await call(platform.mediation, 'POST', `/cases/${caseId}/follow-ups/F1`, mediator, {
      terms: [{ termId: 'T1', kept: true, note: '回访时邻里反映已无夜间施工' }],
    });
    expect(kept.status).toBe(200);
    const closed = await caseWhen(platform, caseId, (c) => c.status === 'closed', 'is closed');
    expect(closed.closed).toMatchObject({ reason: 'agreement-kept' });
    expect(closed.followUps[0]).toMatchObject({ status: 'recorded' });
  });

  it('resolves the ticket by the agreement and gives it its call-back, which closes it', async () => {
    const resolved = await ticketWhen(
      platform,
      ticketId,
      (t) => t.status === 'resolved' && Boolean(t.callback?.dueAt),
      'is resolved with its call-back scheduled',
    );
    expect(resolved.resolution).toBe('done');
    expect(resolved.timeline.some((e: Json) => String(e.note ?? '').includes(caseId))).toBe(true);

    await eventually(`the call-back of ${ticketId} in the operator’s worklist`, async () => {
      const worklist = await call(platform.requests, 'GET', '/callbacks', operator);
      return worklist.status === 200 && worklist.body.items.some((i: Json) => i.ticketId === ticketId)
        ? true
        : undefined;
    });
    const answered = await call(platform.requests, 'POST', `/tickets/${ticketId}/callback`, operator, {
      answered: true,
      satisfaction: 5,
      comment: '调解员很耐心，现在晚上安静了',
    });
    expect(answered.status).toBe(200);
    const closed = await ticketWhen(platform, ticketId, (t) => t.status === 'closed', 'is closed');
    expect(closed.satisfaction).toMatchObject({ score: 5 });
  });
});

function sessionOf(view: Json, sessionId: string): Json {
  const session = view.sessions.find((s: Json) => s.sessionId === sessionId);
  if (!session) throw new Error(`session ${sessionId} not on case ${view.caseId}`);
  return session;
}
