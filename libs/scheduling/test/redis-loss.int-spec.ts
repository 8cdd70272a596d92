// Redis is not a source of truth: when it loses everything (FLUSHALL, or a restart with nothing on disk), the
// scheduled work comes back from MongoDB through reconciliation and still fires once.
// Runs against a redis-server of its own: FLUSHALL and kill must never touch the shared Redis.
import { Scheduler } from '../src';
import {
  FollowUps,
  PrivateRedis,
  ScopeCleanup,
  effectCount,
  newScope,
  redisServerInstalled,
  redisUrl,
  sleep,
  startApp,
  waitFor,
} from './scheduling.harness';

/** Far enough ahead that the job is still waiting in Redis when Redis loses it. */
const DUE_IN_MS = 2000;
/** Long enough after a job fired for a duplicate delivery to have fired too. */
const SETTLE_MS = 1500;
/** Fallback when redis-server is missing: a Redis db index of REDIS_URL that only this suite uses. */
const FALLBACK_DB = 13;

const hasRedisServer = redisServerInstalled();

describe('scheduled work survives the loss of Redis', () => {
  const cleanup = new ScopeCleanup();
  let privateRedis: PrivateRedis | undefined;

  beforeAll(async () => {
    if (hasRedisServer) {
      privateRedis = await PrivateRedis.start();
    } else {
      console.warn(
        `redis-server is not installed: FLUSHDB on db ${FALLBACK_DB} of REDIS_URL stands in for FLUSHALL, ` +
          'and the kill-and-restart case is skipped',
      );
    }
  });
  afterEach(() => cleanup.run());
  afterAll(async () => {
    await privateRedis?.kill();
  });

  const lossyRedisUrl = () => privateRedis?.url ?? `${redisUrl()}/${FALLBACK_DB}`;
  const loseEverything = async () => {
    if (privateRedis) await privateRedis.command('FLUSHALL');
    else await new PrivateRedisFallback(lossyRedisUrl()).flushDb();
  };

  it('after FLUSHALL and a restart, reconciliation re-creates the job from MongoDB and it fires', async () => {
    const scope = cleanup.track(newScope(), lossyRedisUrl());
    const first = await startApp(scope, { redisUrl: lossyRedisUrl(), runWorkers: false });
    await first.get(Scheduler).schedule(FollowUps.callback, {
      key: ['T-10', 1],
      dueAt: new Date(Date.now() + DUE_IN_MS),
      payload: { ticketId: 'T-10', attempt: 1 },
    });
    await first.close();

    await loseEverything();
    if (privateRedis) expect(await privateRedis.command('DBSIZE')).toBe(0);

    const second = cleanup.app(await startApp(scope, { redisUrl: lossyRedisUrl() }));
    await waitFor('the callback to fire', () => effectCount('callback:T-10:1') > 0);
    await sleep(SETTLE_MS);
    expect(effectCount('callback:T-10:1')).toBe(1);
    expect(await second.get(Scheduler).find(FollowUps.callback, ['T-10', 1])).toMatchObject({
      status: 'done',
    });
  });

  (hasRedisServer ? it : it.skip)(
    'after redis-server is killed and started again empty, a restarted app restores the job and it fires',
    async () => {
      const scope = cleanup.track(newScope(), lossyRedisUrl());
      const first = await startApp(scope, { redisUrl: lossyRedisUrl(), runWorkers: false });
      await first.get(Scheduler).schedule(FollowUps.deadline, {
        key: ['T-11'],
        dueAt: new Date(Date.now() + DUE_IN_MS),
        payload: { ticketId: 'T-11' },
      });
      await first.close();

      await privateRedis!.kill();
      await privateRedis!.start();
      expect(await privateRedis!.command('DBSIZE')).toBe(0);

      cleanup.app(await startApp(scope, { redisUrl: lossyRedisUrl() }));
      await waitFor('the deadline to fire', () => effectCount('deadline:T-11') > 0);
      await sleep(SETTLE_MS);
      expect(effectCount('deadline:T-11')).toBe(1);
    },
  );

  (hasRedisServer ? it : it.skip)(
    'when redis-server restarts empty under a running app, periodic reconciliation restores the job after the reconnect',
    async () => {
      const scope = cleanup.track(newScope(), lossyRedisUrl());
      const app = cleanup.app(await startApp(scope, { redisUrl: lossyRedisUrl(), reconcileIntervalMs: 500 }));
      await app.get(Scheduler).schedule(FollowUps.callback, {
        key: ['T-12', 1],
        dueAt: new Date(Date.now() + DUE_IN_MS),
        payload: { ticketId: 'T-12', attempt: 1 },
      });

      await privateRedis!.kill();
      await privateRedis!.start();

      await waitFor('the callback to fire after the reconnect', () => effectCount('callback:T-12:1') > 0);
      await sleep(SETTLE_MS);
      expect(effectCount('callback:T-12:1')).toBe(1);
    },
  );
});

/** FLUSHDB on the fallback db index (never FLUSHALL on the shared Redis). */
class PrivateRedisFallback {
  constructor(private readonly url: string) {}
  async flushDb(): Promise<void> {
    const { Redis } = await import('ioredis');
    const redis = new Redis(this.url);
    await redis.flushdb();
    await redis.quit();
  }
}
