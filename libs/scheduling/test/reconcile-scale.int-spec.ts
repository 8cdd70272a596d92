// Reconciliation at the size of a week of visits: a pass over many pending records that all have their Bull job
// changes nothing, and after Redis lost them every one is added back once. Timings are printed, never asserted.
import { Scheduler, SchedulingRuntime } from '../src';
import { SchedulingQueues } from '../src/scheduling.queues';
import { FollowUps, ScopeCleanup, deleteKeys, newScope, redisUrl, startApp } from './scheduling.harness';

const COUNT = Number(process.env.RECONCILE_SCALE_COUNT ?? 5_000);
const BATCH = 1_000;
const HOUR = 3_600_000;

describe('reconciliation of many pending records', () => {
  const cleanup = new ScopeCleanup();
  afterEach(() => cleanup.run());

  it(`checks ${COUNT} live jobs without touching them, and re-adds all of them after Redis lost them`, async () => {
    const scope = cleanup.track(newScope(), redisUrl());
    const app = cleanup.app(await startApp(scope, { runWorkers: false }));
    const scheduler = app.get(Scheduler);
    const runtime = app.get(SchedulingRuntime);
    const dueAt = new Date(Date.now() + HOUR);
    let started = Date.now();
    for (let start = 0; start < COUNT; start += BATCH) {
      await scheduler.scheduleMany(
        FollowUps.deadline,
        Array.from({ length: Math.min(BATCH, COUNT - start) }, (_, index) => ({
          key: [`S-${start + index}`],
          dueAt,
          payload: { ticketId: `S-${start + index}` },
        })),
      );
    }
    const scheduleMs = Date.now() - started;

    started = Date.now();
    const steady = await runtime.reconcileNow();
    const steadyMs = Date.now() - started;
    expect(steady).toMatchObject({ checked: COUNT, added: 0, replaced: 0, errors: 0 });

    await deleteKeys(redisUrl(), scope.prefix);
    started = Date.now();
    const rebuilt = await runtime.reconcileNow();
    const rebuildMs = Date.now() - started;
    expect(rebuilt).toMatchObject({ checked: COUNT, added: COUNT, errors: 0 });
    const queue = app.get(SchedulingQueues, { strict: false }).get(FollowUps.deadline.queue);
    expect((await queue.getJobCounts()).delayed).toBe(COUNT);

    process.stdout.write(
      `reconcile-scale ${COUNT}: scheduleMany ${scheduleMs} ms, steady pass ${steadyMs} ms, rebuild ${rebuildMs} ms\n`,
    );
  }, 600_000);
});
