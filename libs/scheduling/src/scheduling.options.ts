// Configuration of SchedulingModule: every time limit and size is named here, with its default.
import type { Registry } from 'prom-client';
import type { ScheduledJobDefinition } from './scheduled-job';
import { namespaced, withDefaults } from '@linli/platform';

export const SCHEDULING_OPTIONS = Symbol('SCHEDULING_OPTIONS');

export interface SchedulingModuleOptions {
  /** Every kind of work this service schedules. Each needs exactly one processor, checked at start-up. */
  jobs: readonly ScheduledJobDefinition[];
  /** Redis for Bull. Default: env REDIS_URL, else redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Redis Sentinel (host:port list) and the primary's name; default: env REDIS_SENTINELS, REDIS_SENTINEL_NAME. */
  redisSentinels?: string;
  redisSentinelName?: string;
  /** Bull key prefix; lets several deployments (or tests) share one Redis. */
  prefix?: string;
  /** Name of the @nestjs/mongoose connection holding the service's database (default connection if omitted). */
  connectionName?: string;
  /** Where the queue-depth gauge and the reconciled-jobs counter are registered. Default: prom-client's global. */
  metricsRegistry?: Registry;
  /** false for processes that schedule but must not run jobs (e.g. an API-only instance). */
  runWorkers?: boolean;

  /** How often the queues are reconciled with MongoDB after start-up; 0 disables the periodic pass. */
  reconcileIntervalMs?: number;
  /** Upper bound on awaiting the start-up reconciliation (Redis down at boot); the pass then goes on in background. */
  startupReconcileTimeoutMs?: number;
  /** Records in `running` longer than this are considered abandoned by a crashed worker and go back to pending. */
  runningTimeoutMs?: number;
  /** A delayed job still delayed this long after its due time has a stalled timer and is promoted. */
  delayedOverdueGraceMs?: number;
  /** Pending records read per MongoDB round trip during reconciliation. */
  reconcileBatchSize?: number;
  /** How many failed effects Bull retries in total (first run included). */
  attempts?: number;
  /** First retry delay; doubles each attempt (Bull's exponential backoff). */
  backoffDelayMs?: number;
  /** Jobs each queue runs at once in this process. */
  concurrency?: number;
  /** Upper bound on adding a job to Bull; past it the record stays pending and reconciliation adds it later. */
  enqueueTimeoutMs?: number;
  /** Upper bound on the Redis PING of the readiness check. */
  readinessTimeoutMs?: number;
  /** Upper bound on waiting for active jobs at shutdown, after which queues are closed without waiting. */
  shutdownTimeoutMs?: number;
  /** Failed Bull jobs kept in Redis for inspection (the record in MongoDB keeps the last error anyway). */
  keepFailedJobs?: number;
  /** Payload guard: most fields a payload may have. */
  maxPayloadKeys?: number;
  /** Payload guard: longest string value (an id, not text). */
  maxPayloadValueLength?: number;
  /** Longest job id. */
  maxJobIdLength?: number;
}

export type ResolvedSchedulingOptions = Required<
  Omit<SchedulingModuleOptions, 'connectionName' | 'metricsRegistry'>
> &
  Pick<SchedulingModuleOptions, 'connectionName' | 'metricsRegistry'>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;

export const SCHEDULING_DEFAULTS = {
  prefix: 'linli',
  runWorkers: true,
  reconcileIntervalMs: MINUTE,
  startupReconcileTimeoutMs: 30 * SECOND,
  runningTimeoutMs: 10 * MINUTE,
  delayedOverdueGraceMs: 30 * SECOND,
  reconcileBatchSize: 500,
  attempts: 5,
  backoffDelayMs: 5 * SECOND,
  concurrency: 5,
  enqueueTimeoutMs: 5 * SECOND,
  readinessTimeoutMs: 2 * SECOND,
  shutdownTimeoutMs: 30 * SECOND,
  keepFailedJobs: 1000,
  maxPayloadKeys: 16,
  maxPayloadValueLength: 128,
  maxJobIdLength: 256,
} as const;

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

export function resolveSchedulingOptions(
  options: SchedulingModuleOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSchedulingOptions {
  const resolved = withDefaults(
    {
      ...SCHEDULING_DEFAULTS,
      redisUrl: env.REDIS_URL ?? DEFAULT_REDIS_URL,
      redisSentinels: env.REDIS_SENTINELS ?? '',
      redisSentinelName: env.REDIS_SENTINEL_NAME ?? '',
    },
    options,
  ) as ResolvedSchedulingOptions;
  // The deployment's namespace (LINLI_NAMESPACE) keeps its Bull keys apart from another's on the same Redis.
  return { ...resolved, prefix: namespaced(resolved.prefix, ':', env) };
}
