// SchedulingModule against the real Redis and MongoDB-wire server: one job per id, one effect per job,
// periodic reconciliation, and the start-up check of processors.
import { ReadinessRegistry } from '@linli/platform';
import { ProcessorRegistrationError, REDIS_READINESS_CHECK, Scheduler, SchedulingRuntime } from '../src';
import { SchedulingQueues } from '../src/scheduling.queues';
import {
  CallbackProcessor,
  DeadlineProcessor,
  DuplicateCallbackProcessor,
  FollowUps,
  ScopeCleanup,
  effectCount,
  newScope,
  redisUrl,
  sleep,
  startApp,
  waitFor,
} from './scheduling.harness';

/** Long enough after a job fired for a duplicate delivery to have fired too. */
const SETTLE_MS = 1500;

describe('SchedulingModule', () => {
  const cleanup = new ScopeCleanup();
  afterEach(() => cleanup.run());

  it('a delayed job scheduled twice with the same id runs once', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope));
    const scheduler = app.get(Scheduler);
    const request = {
      key: ['T-1', 1],
      dueAt: new Date(Date.now() + 800),
      payload: { ticketId: 'T-1', attempt: 1 },
    };

    const first = await scheduler.schedule(FollowUps.callback, request);
    const second = await scheduler.schedule(FollowUps.callback, {
      ...request,
      dueAt: new Date(Date.now() + 900),
    });

    expect(first).toEqual({ jobId: 'callback:T-1:1', created: true, status: 'pending', queued: true });
    expect(second).toMatchObject({ jobId: 'callback:T-1:1', created: false, status: 'pending' });
    const queue = app.get(SchedulingQueues, { strict: false }).get(FollowUps.callback.queue);
    expect((await queue.getJobCounts()).delayed).toBe(1);
    await waitFor('the callback to run', () => effectCount('callback:T-1:1') > 0);
    await sleep(SETTLE_MS);
    expect(effectCount('callback:T-1:1')).toBe(1);
    expect(await scheduler.find(FollowUps.callback, ['T-1', 1])).toMatchObject({
      status: 'done',
      attempts: 1,
    });
  });

  it('a job whose effect was already done is not applied twice when Bull delivers it again', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope));
    const scheduler = app.get(Scheduler);
    await scheduler.schedule(FollowUps.callback, {
      key: ['T-2', 1],
      dueAt: new Date(),
      payload: { ticketId: 'T-2', attempt: 1 },
    });
    await waitFor('the record to be done', async () => {
      return (await scheduler.find(FollowUps.callback, ['T-2', 1]))?.status === 'done';
    });

    // A second delivery of the very same job (same id, same revision), as Bull makes after a stall.
    const queue = app.get(SchedulingQueues, { strict: false }).get(FollowUps.callback.queue);
    const again = await queue.add(
      'callback',
      { revision: 0, payload: { ticketId: 'T-2', attempt: 1 } },
      {
        jobId: 'callback:T-2:1',
        removeOnComplete: false,
      },
    );
    await waitFor('the second delivery to complete', async () => (await again.getState()) === 'completed');
    await app.get(SchedulingRuntime).reconcileNow();
    await sleep(SETTLE_MS);

    expect(effectCount('callback:T-2:1')).toBe(1);
    expect(await scheduler.find(FollowUps.callback, ['T-2', 1])).toMatchObject({
      status: 'done',
      attempts: 1,
    });
  });

  it('cancelled work does not run and its Bull job is removed', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope));
    const scheduler = app.get(Scheduler);
    await scheduler.schedule(FollowUps.deadline, {
      key: ['T-3'],
      dueAt: new Date(Date.now() + 600),
      payload: { ticketId: 'T-3' },
    });

    expect(await scheduler.cancel(FollowUps.deadline, ['T-3'])).toBe(true);
    await sleep(SETTLE_MS);

    const queue = app.get(SchedulingQueues, { strict: false }).get(FollowUps.deadline.queue);
    expect(await queue.getJob('deadline:T-3')).toBeNull();
    expect(effectCount('deadline:T-3')).toBe(0);
    expect(await scheduler.find(FollowUps.deadline, ['T-3'])).toMatchObject({ status: 'cancelled' });
  });

  it('periodic reconciliation re-adds a job that vanished from Redis while the app was running', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope, { reconcileIntervalMs: 300 }));
    const scheduler = app.get(Scheduler);
    await scheduler.schedule(FollowUps.callback, {
      key: ['T-4', 1],
      dueAt: new Date(Date.now() + 1500),
      payload: { ticketId: 'T-4', attempt: 1 },
    });
    const queue = app.get(SchedulingQueues, { strict: false }).get(FollowUps.callback.queue);
    const job = await queue.getJob('callback:T-4:1');
    await job!.remove();
    expect(await queue.getJob('callback:T-4:1')).toBeNull();

    await waitFor('the callback to run', () => effectCount('callback:T-4:1') > 0);
    await sleep(SETTLE_MS);
    expect(effectCount('callback:T-4:1')).toBe(1);
  });

  it('registers a redis readiness check that passes while Redis answers', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope));
    const check = app
      .get(ReadinessRegistry)
      .list()
      .find((candidate) => candidate.name === REDIS_READINESS_CHECK);

    expect(check).toBeDefined();
    // Right after start-up a first PING was seen to fail now and then with ioredis' "Connection is closed."
    // (root cause not found; see the issue note). A probe asks again, so what must hold is that the check
    // becomes ready within seconds and then stays ready.
    await waitFor(
      'redis readiness',
      () =>
        Promise.resolve(check!.check()).then(
          () => true,
          () => false,
        ),
      5_000,
    );
    for (let i = 0; i < 5; i += 1) await expect(Promise.resolve(check!.check())).resolves.toBeUndefined();
  });

  it('start-up refuses when a scheduled job name has no processor', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const failure = await startApp(scope, { processors: [CallbackProcessor] }).then(
      (app) => cleanup.app(app),
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ProcessorRegistrationError);
    expect((failure as ProcessorRegistrationError).problems).toEqual([
      'job test-followups/deadline is scheduled but has no @ScheduledJobProcessor provider',
    ]);
  });

  it('start-up refuses when a scheduled job name has two processors', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const failure = await startApp(scope, {
      processors: [CallbackProcessor, DuplicateCallbackProcessor, DeadlineProcessor],
    }).then(
      (app) => cleanup.app(app),
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(ProcessorRegistrationError);
    expect((failure as ProcessorRegistrationError).problems).toEqual([
      'job test-followups/callback has 2 processors: CallbackProcessor, DuplicateCallbackProcessor',
    ]);
  });
});
