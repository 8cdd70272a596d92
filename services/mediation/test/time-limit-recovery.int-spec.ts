// The time-limit timer survives a crash between the case's write and its timer, and the loss of Redis: at start-up
// the service sets again the timer of every case in mediation (CaseTimersReconciler, with its sessions and follow-ups), so the breach still escalates.
import { caseTopic } from '@linli/contracts';
import { EventProbe } from '@linli/testing';
import { PrivateRedis } from '@linli/testing';
import { MediationDb } from './sessions-support';
import {
  call,
  caseBody,
  eventually,
  GULOU_STREET,
  operator,
  startMediation,
  supervisor,
  type Json,
  type ServiceProcess,
} from './support';

/** Long enough for the service to be stopped before it passes, on a busy machine. */
const LIMIT_MS = 8_000;

const suite = PrivateRedis.installed() ? describe : describe.skip;

suite('the time-limit timer after a crash and the loss of Redis', () => {
  let redis: PrivateRedis;
  let mediation: ServiceProcess | undefined;
  let caseEvents: EventProbe;
  let db: MediationDb;
  const env = () => ({
    REDIS_URL: redis.url,
    CASE_TIME_LIMIT_MS: String(LIMIT_MS),
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
    await mediation?.stop();
    await Promise.allSettled([caseEvents?.stop(), db?.close()]);
    await redis?.kill();
  });

  it('escalates a case whose timer was never stored, once the service starts again', async () => {
    const { body: opened } = await call(mediation!, 'POST', '/cases', operator(), caseBody());
    expect(opened.status).toBe('open');
    const prefix = `case-time-limit:${opened.caseId}:`;
    expect(await db.scheduledWork(prefix)).toHaveLength(1);

    // A crash right after the case was written: no timer in MongoDB, none in Redis.
    await mediation!.stop();
    mediation = undefined;
    await db.db.collection<Json>('scheduled_work').deleteMany({ jobId: { $regex: `^${prefix}` } } as never);
    await redis.flushAll();
    expect(await db.scheduledWork(prefix)).toHaveLength(0);

    mediation = await startMediation(env());
    const [work] = await eventually('the timer set again', async () => {
      const rows = await db.scheduledWork(prefix);
      return rows.length === 1 ? rows : undefined;
    });
    expect(new Date(work.dueAt).toISOString()).toBe(opened.timeLimitAt);

    const [escalated] = await caseEvents.waitFor(
      (event) => event.subject === opened.caseId && event.type === 'linli.mediation.case.escalated.v1',
      { timeoutMs: 60_000 },
    );
    expect(escalated.data).toMatchObject({
      reason: 'time-limit-breached',
      escalatedTo: GULOU_STREET,
      level: 1,
    });
    const view = (await call(mediation, 'GET', `/cases/${opened.caseId}`, supervisor())).body;
    expect(view.escalations).toHaveLength(1);
  });
});
