// Builds a small Nest app around SchedulingModule for the integration tests, plus the Redis and MongoDB chores.
import { randomUUID } from 'node:crypto';
import { Global, INestApplicationContext, Module, Type } from '@nestjs/common';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import mongoose, { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { ReadinessRegistry } from '@linli/platform';
import { PrivateRedis } from '@linli/testing';
import {
  ScheduledJobHandler,
  ScheduledJobProcessor,
  ScheduledWorkContext,
  SchedulingModule,
  SchedulingModuleOptions,
  defineScheduledJob,
} from '../src';

export const mongoUrl = (): string => process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
export const redisUrl = (): string => process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The test's constants file: queue and job names, as a service would keep them. */
export const FollowUps = {
  callback: defineScheduledJob<{ ticketId: string; attempt: number }>({
    queue: 'test-followups',
    name: 'callback',
  }),
  deadline: defineScheduledJob<{ ticketId: string }>({ queue: 'test-followups', name: 'deadline' }),
};

/** Effects applied by the processors, per job id: what "applied twice" is measured against. */
export const effects = new Map<string, number>();
export const effectCount = (jobId: string): number => effects.get(jobId) ?? 0;

@ScheduledJobProcessor(FollowUps.callback)
export class CallbackProcessor implements ScheduledJobHandler<{ ticketId: string; attempt: number }> {
  async run(work: ScheduledWorkContext<{ ticketId: string; attempt: number }>): Promise<void> {
    effects.set(work.jobId, effectCount(work.jobId) + 1);
  }
}

@ScheduledJobProcessor(FollowUps.deadline)
export class DeadlineProcessor implements ScheduledJobHandler<{ ticketId: string }> {
  async run(work: ScheduledWorkContext<{ ticketId: string }>): Promise<void> {
    effects.set(work.jobId, effectCount(work.jobId) + 1);
  }
}

/** A second processor for the callback job: start-up must refuse it. */
@ScheduledJobProcessor(FollowUps.callback)
export class DuplicateCallbackProcessor extends CallbackProcessor {}

@Global()
@Module({ providers: [ReadinessRegistry], exports: [ReadinessRegistry] })
class TestPlatformModule {}

export interface TestScope {
  prefix: string;
  dbName: string;
}

export function newScope(): TestScope {
  const id = randomUUID().slice(0, 8);
  return { prefix: `linli-test-sched-${id}`, dbName: `linli_test_scheduling_${id}` };
}

export async function startApp(
  scope: TestScope,
  options: Partial<SchedulingModuleOptions> & { processors?: Type[] } = {},
): Promise<INestApplicationContext> {
  const { processors = [CallbackProcessor, DeadlineProcessor], ...schedulingOptions } = options;
  const moduleRef = await Test.createTestingModule({
    imports: [
      TestPlatformModule,
      MongooseModule.forRoot(mongoUrl(), { dbName: scope.dbName }),
      SchedulingModule.forRoot({
        jobs: [FollowUps.callback, FollowUps.deadline],
        redisUrl: redisUrl(),
        prefix: scope.prefix,
        metricsRegistry: new Registry(),
        reconcileIntervalMs: 0,
        backoffDelayMs: 100,
        ...schedulingOptions,
      }),
    ],
    providers: processors,
  }).compile();
  try {
    await moduleRef.init();
  } catch (error) {
    // Nest does not close a context whose init failed; close the MongoDB connection so nothing outlives the test.
    await moduleRef.get<Connection>(getConnectionToken()).close();
    throw error;
  }
  return moduleRef;
}

export async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const started = Date.now();
  for (;;) {
    if (await condition()) return;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function dropDatabase(dbName: string): Promise<void> {
  const connection = await mongoose.createConnection(mongoUrl(), { dbName }).asPromise();
  await connection.dropDatabase();
  await connection.close();
}

/** Deletes only this test's keys: the shared Redis belongs to everyone's tests (never FLUSHALL it). */
export async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

export function redisServerInstalled(): boolean {
  return PrivateRedis.installed();
}

/** Closes this test's apps and removes its database and Redis keys, whatever the test's outcome. */
export class ScopeCleanup {
  private apps: INestApplicationContext[] = [];
  private scopes: { scope: TestScope; redisUrl: string }[] = [];

  track(scope: TestScope, url: string): TestScope {
    this.scopes.push({ scope, redisUrl: url });
    return scope;
  }

  app<T extends INestApplicationContext>(app: T): T {
    this.apps.push(app);
    return app;
  }

  /** Closes an app now (a "restart"), so run() does not close it again. */
  async close(app: INestApplicationContext): Promise<void> {
    this.apps = this.apps.filter((candidate) => candidate !== app);
    await app.close();
  }

  async run(): Promise<void> {
    const apps = this.apps;
    const scopes = this.scopes;
    this.apps = [];
    this.scopes = [];
    await Promise.allSettled(apps.map((app) => app.close()));
    for (const { scope, redisUrl: url } of scopes) {
      await dropDatabase(scope.dbName);
      await deleteKeys(url, scope.prefix).catch(() => undefined);
    }
  }
}

export { PrivateRedis };
