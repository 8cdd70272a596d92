// Session reminders against the real Kafka, MongoDB-wire server and Redis, with the leads shortened to seconds:
// each lead's reminder fires at its time (session.reminder-due read back from Kafka) and is recorded on the session;
// moving a session twice leaves exactly one set of reminders; a reminder already sent is armed again when the
// session moves far enough ahead.
import { caseTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import { MediationDb, assignedCase, caseType } from './sessions-support';
import { call, eventually, startMediation, type Json, type ServiceProcess } from './support';

const LEAD_A_MS = 6_000;
const LEAD_B_MS = 2_000;
const PLACE = '仙霞路社区调解室';
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

describe('session reminders', () => {
  let mediation: ServiceProcess;
  let caseEvents: EventProbe;
  let db: MediationDb;

  beforeAll(async () => {
    mediation = await startMediation({ SESSION_REMINDER_LEADS_MS: `${LEAD_A_MS},${LEAD_B_MS}` });
    [caseEvents, db] = await Promise.all([
      EventProbe.start({ topic: caseTopic.name }),
      MediationDb.connect(),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([mediation?.stop(), caseEvents?.stop(), db?.close()]);
  });

  // The tests run at once (it.concurrent): each has a case of its own, reads only that case's events and rows, and
  // spends most of its time waiting for reminders to come due, which the three can as well do side by side.

  const remindersOf = (caseId: string): CloudEvent<Json>[] =>
    caseEvents.events.filter(
      (event) => event.subject === caseId && event.type === caseType('session.reminder-due'),
    ) as CloudEvent<Json>[];

  /** The session as stored, once every reminder of it is sent. */
  async function storedReminders(caseId: string, sessionId: string, sent: number): Promise<Json[]> {
    return eventually(
      `${sent} reminders of ${caseId}/${sessionId} recorded as sent`,
      async () => {
        const stored = await db.case(caseId);
        const session = (stored?.sessions as Json[] | undefined)?.find((s) => s.sessionId === sessionId);
        const reminders = (session?.reminders ?? []) as Json[];
        return reminders.filter((r) => r.status === 'sent').length >= sent ? reminders : undefined;
      },
      { timeoutMs: 60_000 },
    );
  }

  it.concurrent(
    'fires one reminder per lead, none before its time, and records each on the session',
    async () => {
      const { caseId, as, mediatorId } = await assignedCase(mediation);
      const scheduledFor = inMs(10_000);
      const reply = await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, {
        scheduledFor,
        place: PLACE,
      });
      expect(reply.status).toBe(201);
      expect(reply.body.reminders).toHaveLength(2);

      const events = await caseEvents.waitFor(
        (event) => event.subject === caseId && event.type === caseType('session.reminder-due'),
        { count: 2, timeoutMs: 60_000 },
      );
      for (const event of events) {
        expect(event.data).toMatchObject({
          caseId,
          sessionId: 'S1',
          mediatorId,
          scheduledFor,
          leadMinutes: 1,
          audiences: ['mediator', 'parties'],
          partyCount: 2,
        });
      }
      // In lead order (the longer lead first), each sent no earlier than its time.
      const times = events.map((event) => Date.parse(event.time!)).sort((a, b) => a - b);
      expect(times[0]).toBeGreaterThanOrEqual(Date.parse(scheduledFor) - LEAD_A_MS);
      expect(times[1]).toBeGreaterThanOrEqual(Date.parse(scheduledFor) - LEAD_B_MS);

      const reminders = await storedReminders(caseId, 'S1', 2);
      expect(reminders.map((r) => [r.leadMs, r.status])).toEqual([
        [LEAD_A_MS, 'sent'],
        [LEAD_B_MS, 'sent'],
      ]);
      for (const reminder of reminders) {
        expect(new Date(reminder.dueAt).getTime()).toBe(Date.parse(scheduledFor) - reminder.leadMs);
        expect(new Date(reminder.sentAt).getTime()).toBeGreaterThanOrEqual(
          new Date(reminder.dueAt).getTime(),
        );
      }
      const rows = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
      expect(rows.map((row) => row.status)).toEqual(['done', 'done']);
    },
  );

  it.concurrent('moving a session twice leaves exactly one set of reminders, for its last time', async () => {
    const { caseId, as } = await assignedCase(mediation);
    // Each move is later than the one before, so every reminder time the session ever had comes before the last
    // time's reminders: when those two have arrived, any reminder left over from before would have, too.
    const [first, second, last] = [inMs(14_000), inMs(18_000), inMs(22_000)];
    expect(
      (await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, { scheduledFor: first, place: PLACE }))
        .status,
    ).toBe(201);
    expect(
      (await call(mediation, 'PUT', `/cases/${caseId}/sessions/S1`, as, { scheduledFor: second })).status,
    ).toBe(200);
    const moved = await call(mediation, 'PUT', `/cases/${caseId}/sessions/S1`, as, {
      scheduledFor: last,
      place: '宁海路街道调解室',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.rescheduled).toBe(2);

    const pending = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
    expect(pending.map((row) => [row.status, new Date(row.dueAt).toISOString()]).sort()).toEqual(
      [
        ['pending', new Date(Date.parse(last) - LEAD_A_MS).toISOString()],
        ['pending', new Date(Date.parse(last) - LEAD_B_MS).toISOString()],
      ].sort(),
    );

    await caseEvents.waitFor(
      (event) => event.subject === caseId && event.type === caseType('session.reminder-due'),
      { count: 2, timeoutMs: 60_000 },
    );
    await storedReminders(caseId, 'S1', 2);
    const reminders = remindersOf(caseId);
    expect(reminders).toHaveLength(2);
    expect(reminders.map((event) => event.data.scheduledFor)).toEqual([last, last]);
    const rows = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
    expect(rows.map((row) => row.status)).toEqual(['done', 'done']);
    expect(
      caseEvents.events
        .filter((event) => event.subject === caseId && event.type === caseType('session.scheduled'))
        .map((event) => (event.data as Json).rescheduled),
    ).toEqual([false, true, true]);
  });

  it.concurrent(
    'a reminder already sent is sent again before the new time when the session moves far enough ahead',
    async () => {
      const { caseId, as } = await assignedCase(mediation);
      const scheduledFor = inMs(12_000);
      await call(mediation, 'POST', `/cases/${caseId}/sessions`, as, { scheduledFor, place: PLACE });
      await caseEvents.waitFor(
        (event) => event.subject === caseId && event.type === caseType('session.reminder-due'),
        { timeoutMs: 60_000 },
      );
      const later = inMs(15_000);
      const moved = await call(mediation, 'PUT', `/cases/${caseId}/sessions/S1`, as, { scheduledFor: later });
      expect(moved.status).toBe(200);

      // Whatever was sent for the first time, each lead is sent once for the new time.
      await eventually(
        'one reminder per lead for the new time',
        async () =>
          remindersOf(caseId).filter((e) => e.data.scheduledFor === later).length >= 2 ? true : undefined,
        { timeoutMs: 60_000 },
      );
      const stored = await storedReminders(caseId, 'S1', 3);
      const forLater = stored.filter(
        (r) => new Date(r.dueAt).getTime() > Date.parse(scheduledFor) - LEAD_B_MS,
      );
      expect(forLater.map((r) => [r.leadMs, r.status]).sort()).toEqual(
        [
          [LEAD_A_MS, 'sent'],
          [LEAD_B_MS, 'sent'],
        ].sort(),
      );
      // The lead sent before the move has a second job (its next round); nothing is left pending.
      const rows = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
      expect(rows.some((row) => String(row.jobId).endsWith(`:${LEAD_A_MS}ms:r1`))).toBe(true);
      expect(rows.filter((row) => row.status === 'pending')).toEqual([]);
      expect(remindersOf(caseId).filter((e) => e.data.scheduledFor === later)).toHaveLength(2);
    },
  );
});
