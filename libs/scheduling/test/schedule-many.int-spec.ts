// Scheduler.scheduleMany against the real Redis and MongoDB-wire server: one insert of records and one addBulk of
// the created jobs, with schedule()'s semantics (one record and one job per id, an existing record kept as it is).
import { InvalidJobPayloadError, Scheduler, SchedulingRuntime } from '../src';
import { ScheduledWorkRepository } from '../src/scheduled-work.repository';
import { SchedulingQueues } from '../src/scheduling.queues';
import {
  FollowUps,
  ScopeCleanup,
  effectCount,
  newScope,
  redisUrl,
  sleep,
  startApp,
  waitFor,
} from './scheduling.harness';

const SETTLE_MS = 1500;
const HOUR = 3_600_000;

describe('Scheduler.scheduleMany', () => {
  const cleanup = new ScopeCleanup();
  afterEach(() => cleanup.run());

  it('creates one record and one delayed job per new id, keeps existing records as they are', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope));
    const scheduler = app.get(Scheduler);
    const later = new Date(Date.now() + HOUR);
    // Scheduled before: one still pending, one cancelled (it must stay cancelled).
    await scheduler.schedule(FollowUps.deadline, {
      key: ['T-0'],
      dueAt: later,
      payload: { ticketId: 'T-0' },
    });
    await scheduler.schedule(FollowUps.deadline, {
      key: ['T-1'],
      dueAt: later,
      payload: { ticketId: 'T-1' },
    });
    await scheduler.cancel(FollowUps.deadline, ['T-1']);

    const requests = Array.from({ length: 40 }, (_, index) => ({
      key: [`T-${index}`],
      dueAt: new Date(later.getTime() + index * 1000),
      payload: { ticketId: `T-${index}` },
    }));
    const result = await scheduler.scheduleMany(FollowUps.deadline, [...requests, requests[5]]);

    expect(result.queued).toBe(true);
    expect(result.created).toHaveLength(38);
    expect(result.existing.sort()).toEqual(['deadline:T-0', 'deadline:T-1', 'deadline:T-5'].sort());
    expect(await scheduler.find(FollowUps.deadline, ['T-1'])).toMatchObject({ status: 'cancelled' });
    expect(await scheduler.find(FollowUps.deadline, ['T-0'])).toMatchObject({
      dueAt: later,
      status: 'pending',
    });
    const records = app.get(ScheduledWorkRepository, { strict: false }).model;
    expect(await records.countDocuments({ name: 'deadline' })).toBe(40);
    const queue = app.get(SchedulingQueues, { strict: false }).get(FollowUps.deadline.queue);
    // T-0 from its own schedule(), the 38 from the batch; nothing for the cancelled T-1.
    expect((await queue.getJobCounts()).delayed).toBe(39);
    expect(await queue.getJob('deadline:T-1')).toBeNull();
    const job = await queue.getJob('deadline:T-7');
    expect(job?.data).toEqual({ revision: 0, payload: { ticketId: 'T-7' } });
    expect(Math.abs(job!.timestamp + job!.opts.delay! - requests[7].dueAt.getTime())).toBeLessThan(2000);
  });

  it('runs each job of a batch once, and scheduling the batch again adds nothing', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope));
    const scheduler = app.get(Scheduler);
    const requests = Array.from({ length: 10 }, (_, index) => ({
      key: [`B-${index}`, 1],
      dueAt: new Date(Date.now() + 300),
      payload: { ticketId: `B-${index}`, attempt: 1 },
    }));

    await scheduler.scheduleMany(FollowUps.callback, requests);
    await waitFor('every job to run', () =>
      requests.every((_, index) => effectCount(`callback:B-${index}:1`) > 0),
    );
    const again = await scheduler.scheduleMany(FollowUps.callback, requests);
    await sleep(SETTLE_MS);

    expect(again).toEqual({
      created: [],
      existing: requests.map((_, i) => `callback:B-${i}:1`),
      queued: true,
    });
    for (let index = 0; index < requests.length; index++)
      expect(effectCount(`callback:B-${index}:1`)).toBe(1);
  });

  it('writes nothing when one request of the batch carries a payload that is not ids only', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope));
    const scheduler = app.get(Scheduler);

    await expect(
      scheduler.scheduleMany(FollowUps.deadline, [
        { key: ['OK-1'], dueAt: new Date(Date.now() + HOUR), payload: { ticketId: 'OK-1' } },
        { key: ['BAD'], dueAt: new Date(Date.now() + HOUR), payload: { ticketId: '13812345678' } },
      ]),
    ).rejects.toBeInstanceOf(InvalidJobPayloadError);
    expect(await scheduler.find(FollowUps.deadline, ['OK-1'])).toBeNull();
    // Let the workers finish starting before the app closes (closing Bull mid-start makes it throw).
    await app.get(SchedulingRuntime).reconcileNow();
    await sleep(500);
  });

  it('stores the records when Redis cannot take the jobs, and reconciliation adds them', async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope));
    const scheduler = app.get(Scheduler);
    const queues = app.get(SchedulingQueues, { strict: false });
    const original = queues.enqueueMany.bind(queues);
    queues.enqueueMany = () => Promise.reject(new Error('redis is down'));
    const result = await scheduler.scheduleMany(FollowUps.deadline, [
      { key: ['R-1'], dueAt: new Date(Date.now() + HOUR), payload: { ticketId: 'R-1' } },
    ]);
    queues.enqueueMany = original;

    expect(result).toEqual({ created: ['deadline:R-1'], existing: [], queued: false });
    const queue = queues.get(FollowUps.deadline.queue);
    expect(await queue.getJob('deadline:R-1')).toBeNull();
    await app.get(SchedulingRuntime).reconcileNow();
    expect(await queue.getJob('deadline:R-1')).not.toBeNull();
  });
});
