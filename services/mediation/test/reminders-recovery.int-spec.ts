// Redis is not a source of truth for session reminders: after it loses everything (FLUSHALL) and the service
// restarts, each reminder has its Bull job again (from its scheduled work in MongoDB; a reminder whose scheduled
// work was never written, as after a crash between the case's write and its timer, from the case itself) and fires
// at its time, once. Runs against a redis-server of its own: FLUSHALL must never touch the shared Redis.
import { caseTopic } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import { PrivateRedis } from '@linli/testing';
import { MediationDb, assignedCase, caseType } from './sessions-support';
import { call, eventually, startMediation, type Json, type ServiceProcess } from './support';

const LEAD_A_MS = 6_000;
const LEAD_B_MS = 2_000;
const SESSIONS_QUEUE = 'mediation-sessions';
/**
 * Room for a restart of the service on a busy machine before the first reminder is due (at 34 s): the stop and start
 * with the reminders back in Redis took 11 s with a load average of 21 on two cores, so three times that.
 */
const SESSION_AHEAD_MS = 40_000;

const suite = PrivateRedis.installed() ? describe : describe.skip;

suite('session reminders survive the loss of Redis', () => {
  let redis: PrivateRedis;
  let mediation: ServiceProcess | undefined;
  let caseEvents: EventProbe;
  let db: MediationDb;
  const env = () => ({
    REDIS_URL: redis.url,
    SESSION_REMINDER_LEADS_MS: `${LEAD_A_MS},${LEAD_B_MS}`,
    // Only the start-up passes rebuild: no periodic reconciliation to hide a missing one.
    SCHEDULING_RECONCILE_INTERVAL_MS: '0',
  });

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    mediation = await startMediation(env());
    [caseEvents, db] = await Promise.all([
      EventProbe.start({ topic: caseTopic.name }),
      MediationDb.connect(),
    ]);
  });

  afterAll(async () => {
    const code = await mediation?.stop();
    if (code !== 0 && code !== null && mediation) process.stderr.write(mediation.output());
    await Promise.allSettled([caseEvents?.stop(), db?.close()]);
    await redis?.kill();
  });

  it('after FLUSHALL, a lost timer record and a restart, each reminder fires at its time, once', async () => {
    const { caseId, as } = await assignedCase(mediation!);
    const scheduledFor = new Date(Date.now() + SESSION_AHEAD_MS).toISOString();
    const reply = await call(mediation!, 'POST', `/cases/${caseId}/sessions`, as, {
      scheduledFor,
      place: '仙霞路社区调解室',
    });
    expect(reply.status).toBe(201);
    const jobIds = [
      `session-reminder:${caseId}:S1:${LEAD_A_MS}ms`,
      `session-reminder:${caseId}:S1:${LEAD_B_MS}ms`,
    ];
    expect(await redis.jobIds(SESSIONS_QUEUE)).toEqual([...jobIds].sort());

    await redis.flushAll();
    expect(await redis.jobIds(SESSIONS_QUEUE)).toEqual([]);
    await mediation!.stop();
    // As if the service had died between writing the case and setting this reminder's timer.
    await db.db.collection('scheduled_work').deleteOne({ jobId: jobIds[1] });
    mediation = await startMediation(env());

    await eventually(
      'both reminders back in Redis',
      async () => ((await redis.jobIds(SESSIONS_QUEUE)).length === 2 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    expect(await redis.jobIds(SESSIONS_QUEUE)).toEqual([...jobIds].sort());
    const rows = await db.scheduledWork(`session-reminder:${caseId}:S1:`);
    expect(rows.map((row) => [row.jobId, row.status]).sort()).toEqual(
      jobIds.map((id) => [id, 'pending']).sort(),
    );

    const events = await caseEvents.waitFor(
      (event) => event.subject === caseId && event.type === caseType('session.reminder-due'),
      { count: 2, timeoutMs: SESSION_AHEAD_MS + 30_000 },
    );
    const times = events.map((event) => Date.parse(event.time!)).sort((a, b) => a - b);
    expect(times[0]).toBeGreaterThanOrEqual(Date.parse(scheduledFor) - LEAD_A_MS);
    expect(times[1]).toBeGreaterThanOrEqual(Date.parse(scheduledFor) - LEAD_B_MS);
    const stored = await eventually('the reminders recorded as sent', async () => {
      const session = ((await db.case(caseId))?.sessions as Json[])[0];
      return (session.reminders as Json[]).every((r) => r.status === 'sent') ? session.reminders : undefined;
    });
    expect((stored as Json[]).map((r: Json) => r.leadMs)).toEqual([LEAD_A_MS, LEAD_B_MS]);
    expect(
      caseEvents.events.filter(
        (event) => event.subject === caseId && event.type === caseType('session.reminder-due'),
      ),
    ).toHaveLength(2);
  }, 240_000);
});
