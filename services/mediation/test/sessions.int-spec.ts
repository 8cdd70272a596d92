// Sessions against the real Kafka, MongoDB-wire server and Redis: scheduled, moved, called off and recorded by the
// mediator holding the case or a supervisor, with their events and reminder timers; refused with 409 and the reason
// when the case is not ready (fewer than two parties, no mediator, an outcome already), with 400 naming the field
// for bad input, and 403 for anybody else.
import { caseTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import { DAY_MS, HOUR_MS, MediationDb, assignedCase, caseType, holdSession } from './sessions-support';
import {
  call,
  caseBody,
  mediatorUser,
  operator,
  startMediation,
  supervisor,
  twoParties,
  type Json,
  type ServiceProcess,
} from './support';

const PLACE = '仙霞路社区议事厅';
const inHours = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();

describe('mediation sessions', () => {
  let mediation: ServiceProcess;
  let caseEvents: EventProbe;
  let db: MediationDb;

  beforeAll(async () => {
    // The default leads: 24 hours and 1 hour. The service first: it creates its topics.
    mediation = await startMediation();
    [caseEvents, db] = await Promise.all([
      EventProbe.start({ topic: caseTopic.name }),
      MediationDb.connect(),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([mediation?.stop(), caseEvents?.stop(), db?.close()]);
  });

  const eventsOf = (caseId: string, type: string): CloudEvent<Json>[] =>
    caseEvents.events.filter(
      (event) => event.subject === caseId && event.type === caseType(type),
    ) as CloudEvent<Json>[];

  it('schedules a session: 201, the case in mediation, session.scheduled, a reminder timer per lead ahead', async () => {
    const { caseId, as, mediatorId } = await assignedCase(mediation);
    const scheduledFor = inHours(48);
    const reply = await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor,
      place: PLACE,
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      caseId,
      caseStatus: 'in-mediation',
      sessionId: 'S1',
      scheduledFor,
      place: PLACE,
      status: 'scheduled',
      rescheduled: 0,
    });
    expect(reply.body.reminders.map((r: Json) => [r.leadMinutes, r.status])).toEqual([
      [1440, 'pending'],
      [60, 'pending'],
    ]);
    const [scheduled] = await caseEvents.waitFor(
      (event) => event.subject === caseId && event.type === caseType('session.scheduled'),
    );
    expect(scheduled.data).toMatchObject({ sessionId: 'S1', mediatorId, scheduledFor, rescheduled: false });
    const rows = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
    expect(rows.map((row) => [row.jobId, row.status, new Date(row.dueAt).toISOString()]).sort()).toEqual(
      [
        [
          `session-reminder:${caseId}:S1:1440`,
          'pending',
          new Date(Date.parse(scheduledFor) - DAY_MS).toISOString(),
        ],
        [
          `session-reminder:${caseId}:S1:60`,
          'pending',
          new Date(Date.parse(scheduledFor) - HOUR_MS).toISOString(),
        ],
      ].sort(),
    );
  });

  it('sets only the reminders still ahead: a session in 30 minutes has none', async () => {
    const { caseId, as } = await assignedCase(mediation);
    const reply = await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor: inHours(0.5),
      place: PLACE,
    });
    expect(reply.status).toBe(201);
    expect(reply.body.reminders).toEqual([]);
    expect(await db.scheduledWork(`session-reminder:${caseId}:`)).toEqual([]);
  });

  it('a supervisor may schedule; another mediator and an operator may not (403)', async () => {
    const { caseId } = await assignedCase(mediation);
    const body = { scheduledFor: inHours(30), place: PLACE };
    expect(
      (await call(mediation, 'POST', `/cases/${caseId}/sessions`, mediatorUser('med-other'), body)).status,
    ).toBe(403);
    expect((await call(mediation, 'POST', `/cases/${caseId}/sessions`, operator(), body)).status).toBe(403);
    const bySupervisor = await call(mediation, 'POST', `/cases/${caseId}/sessions`, supervisor(), body);
    expect(bySupervisor.status).toBe(201);
    expect(bySupervisor.body.sessionId).toBe('S1');
  });

  it('refuses a session while fewer than two parties are recorded: 409 with the reason', async () => {
    const { caseId, as } = await assignedCase(mediation, caseBody({ parties: [twoParties()[0]] }));
    const reply = await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor: inHours(30),
      place: PLACE,
    });
    expect(reply.status).toBe(409);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body.detail).toBe('a session needs the parties recorded: at least two');
    expect(reply.body.current).toEqual({ status: 'assigned', version: 0 });
  });

  it('refuses a session on a case no mediator holds yet: 409', async () => {
    const opened = await call(mediation, 'POST', '/cases', operator(), caseBody());
    expect(opened.status).toBe(201);
    const reply = await call(mediation, 'POST', `/cases/${opened.body.caseId}/sessions`, supervisor(), {
      scheduledFor: inHours(30),
      place: PLACE,
    });
    expect(reply.status).toBe(409);
    expect(reply.body.detail).toContain('a mediator must hold it before a session');
    expect(reply.body.current.status).toBe('open');
  });

  it('refuses bad input with 400 naming the field', async () => {
    const { caseId, as } = await assignedCase(mediation);
    const cases: Array<[Json, string]> = [
      [{ scheduledFor: inHours(-1), place: PLACE }, 'scheduledFor'],
      [{ scheduledFor: 'tomorrow', place: PLACE }, 'scheduledFor'],
      [{ scheduledFor: inHours(30), place: '' }, 'place'],
      [{ scheduledFor: inHours(30), place: 'x'.repeat(201) }, 'place'],
      [{ scheduledFor: inHours(30), place: PLACE, room: 3 }, 'room'],
    ];
    for (const [body, field] of cases) {
      const reply = await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, body);
      expect([reply.status, reply.body.errors?.map((error: Json) => error.field)]).toEqual([400, [field]]);
    }
  });

  it('moves a session: session.scheduled (rescheduled), its reminder timers moved to the new time', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor: inHours(48),
      place: PLACE,
    });
    const later = inHours(72);
    const moved = await call(mediation, 'PUT', `/cases/${caseId}/sessions/S1`, as, {
      scheduledFor: later,
      place: '宁海路街道调解室',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ scheduledFor: later, place: '宁海路街道调解室', rescheduled: 1 });
    await caseEvents.waitFor(
      (event) =>
        event.subject === caseId &&
        event.type === caseType('session.scheduled') &&
        (event.data as Json).rescheduled === true,
    );
    const rows = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
    expect(rows.map((row) => [row.status, new Date(row.dueAt).toISOString()]).sort()).toEqual(
      [
        ['pending', new Date(Date.parse(later) - DAY_MS).toISOString()],
        ['pending', new Date(Date.parse(later) - HOUR_MS).toISOString()],
      ].sort(),
    );
  });

  it('calls a session off with its reminders; a called-off session cannot be moved or recorded (409)', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor: inHours(48),
      place: PLACE,
    });
    const cancelled = await call(mediation, 'DELETE', `/cases/${caseId}/sessions/S1`, as);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.reminders.map((r: Json) => r.status)).toEqual(['cancelled', 'cancelled']);
    await caseEvents.waitFor(
      (event) => event.subject === caseId && event.type === caseType('session.cancelled'),
    );
    const rows = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
    expect(rows.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
    const move = await call(mediation, 'PUT', `/cases/${caseId}/sessions/S1`, as, {
      scheduledFor: inHours(50),
    });
    expect(move.status).toBe(409);
    expect(move.body.detail).toBe('session S1 is cancelled: only a scheduled session can be moved');
    const unknown = await call(mediation, 'DELETE', `/cases/${caseId}/sessions/S9`, as);
    expect(unknown.status).toBe(409);
    expect(unknown.body.detail).toContain('has no session S9');
  });

  it('records a session held: attendance and minutes, session.held, its reminders withdrawn', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor: inHours(48),
      place: PLACE,
    });
    const badAttendance = await call(mediation, 'POST', `/cases/${caseId}/sessions/S1/record`, as, {
      attendance: [{ partyId: 'P1', present: true }],
      minutes: '纪要',
    });
    expect([badAttendance.status, badAttendance.body.errors?.[0]?.field]).toEqual([400, 'attendance']);
    const held = await call(mediation, 'POST', `/cases/${caseId}/sessions/S1/record`, as, {
      attendance: [
        { partyId: 'P1', present: true },
        { partyId: 'P2', present: false },
      ],
      minutes: '申请人陈述，被申请人缺席 / the respondent did not come',
    });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'held', minutes: expect.stringContaining('申请人陈述') });
    expect(held.body.reminders.map((r: Json) => r.status)).toEqual(['cancelled', 'cancelled']);
    const [event] = await caseEvents.waitFor(
      (e) => e.subject === caseId && e.type === caseType('session.held'),
    );
    expect(event.data).toMatchObject({ sessionId: 'S1', attended: 1, absent: 1 });
    // No personal data on Kafka: neither minutes nor names.
    expect(JSON.stringify(eventsOf(caseId, 'session.held'))).not.toContain('申请人陈述');
    const rows = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
    expect(rows.map((row) => row.status)).toEqual(['cancelled', 'cancelled']);
    const again = await call(mediation, 'POST', `/cases/${caseId}/sessions/S1/record`, as, {
      attendance: [
        { partyId: 'P1', present: true },
        { partyId: 'P2', present: true },
      ],
      minutes: '再记',
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('session S1 is held: only a scheduled session can be recorded');
  });

  it('refuses sessions once the case has its outcome: 409', async () => {
    const { caseId, as } = await assignedCase(mediation);
    await holdSession(mediation, caseId, as);
    const failed = await call(mediation, 'POST', `/cases/${caseId}/outcome`, as, {
      kind: 'failed',
      reason: '双方分歧过大 / too far apart',
    });
    expect(failed.status).toBe(200);
    const reply = await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor: inHours(30),
      place: PLACE,
    });
    expect(reply.status).toBe(409);
    expect(reply.body.detail).toContain('is closed (failed): no more sessions');
  });

  it('answers 404 for a case outside the caller’s jurisdiction', async () => {
    const { caseId } = await assignedCase(mediation);
    const reply = await call(mediation, 'POST', `/cases/${caseId}/sessions`, supervisor('320102'), {
      scheduledFor: inHours(30),
      place: PLACE,
    });
    expect(reply.status).toBe(404);
  });

  it('a session scheduled again under the same Idempotency-Key is the same session, scheduled once (ADR 0035)', async () => {
    const { caseId, as } = await assignedCase(mediation);
    const headers = { ...as, 'Idempotency-Key': `session-${caseId}` };
    const body = { scheduledFor: inHours(50), place: PLACE };
    const replies = await Promise.all(
      [1, 2, 3].map(() => call(mediation, 'POST', `/cases/${caseId}/sessions`, headers, body)),
    );
    expect(replies.map((r) => [r.status, r.body.sessionId])).toEqual([
      [201, 'S1'],
      [201, 'S1'],
      [201, 'S1'],
    ]);
    const moved = await call(mediation, 'POST', `/cases/${caseId}/sessions`, headers, {
      ...body,
      place: '别处',
    });
    expect(moved.status).toBe(422);
    expect(moved.body.errors).toEqual([{ field: 'Idempotency-Key', message: expect.any(String) }]);
    const view = await call(mediation, 'GET', `/cases/${caseId}`, as);
    expect(view.body.sessions).toHaveLength(1);
    await caseEvents.waitFor(
      (event) => event.subject === caseId && event.type === caseType('session.scheduled'),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(eventsOf(caseId, 'session.scheduled')).toHaveLength(1);
  });
});
