// The Bull queues of one service and the Redis connections under them, opened once and closed at shutdown.
import { Logger } from '@nestjs/common';
import Bull from 'bull';
import { Redis, RedisOptions } from 'ioredis';
import { redisConnectionOptions } from '@linli/platform';
import { RedisUnavailableError, SchedulingTimeoutError, UndeclaredJobError } from './scheduling.errors';
import type { ResolvedSchedulingOptions } from './scheduling.options';
import type { ScheduledWork } from './scheduled-work.schema';
import { delayUntil } from './scheduling.rules';

/** What a scheduled job carries in Redis: the record's revision and its ids-only payload. */
export interface ScheduledJobData {
  revision: number;
  payload: Record<string, string | number>;
}

/** ioredis statuses in which a command would only wait in the offline queue. */
const DOWN_STATUSES: ReadonlySet<string> = new Set(['reconnecting', 'close', 'end']);

export type ScheduledQueue = Bull.Queue<ScheduledJobData>;

export class SchedulingQueues {
  private readonly logger = new Logger(SchedulingQueues.name);
  private readonly queues = new Map<string, ScheduledQueue>();
  private readonly connections: Redis[] = [];
  private client?: Redis;

  constructor(private readonly options: ResolvedSchedulingOptions) {}

  /**
   * Opens the connections and queues. Called after the start-up check of processors, so a refused start-up
   * leaves no Redis connection behind.
   */
  open(): void {
    if (this.client) return;
    // Every connection retries forever (maxRetriesPerRequest: null): a worker must survive a Redis restart rather
    // than fail the commands that move its jobs. Subscriber and blocking connections also skip the ready check,
    // as Bull requires. Callers that must not hang (schedule, readiness, metrics) bound their waits themselves.
    const client = this.connect('client', { maxRetriesPerRequest: null });
    const subscriber = this.connect('subscriber', { maxRetriesPerRequest: null, enableReadyCheck: false });
    this.client = client;
    const queueNames = [...new Set(this.options.jobs.map((job) => job.queue))];
    for (const name of queueNames) {
      const queue = new Bull<ScheduledJobData>(name, {
        prefix: this.options.prefix,
        createClient: (type) => {
          if (type === 'client') return client;
          if (type === 'subscriber') return subscriber;
          // Blocking (BRPOPLPUSH) connections cannot be shared: one per queue.
          return this.connect(`bclient:${name}`, { maxRetriesPerRequest: null, enableReadyCheck: false });
        },
      });
      queue.on('error', (error) =>
        this.logger.error({ msg: 'bull queue error', queue: name, error: error.message }),
      );
      this.queues.set(name, queue);
    }
  }

  get(name: string): ScheduledQueue {
    const queue = this.queues.get(name);
    if (!queue) {
      throw new UndeclaredJobError(
        this.client
          ? `Queue ${name} is not declared by any scheduled job`
          : 'Scheduling queues are not open yet',
      );
    }
    return queue;
  }

  all(): ScheduledQueue[] {
    return [...this.queues.values()];
  }

  /**
   * Adds the Bull job of a pending record, with the delay left until its due time (0 when overdue). Bull keeps
   * one job per id, so adding what is already there is a no-op; bounded by enqueueTimeoutMs.
   */
  async enqueue(record: ScheduledWork, now: Date): Promise<void> {
    const definition = this.options.jobs.find(
      (job) => job.queue === record.queue && job.name === record.name,
    );
    const data: ScheduledJobData = { revision: record.revision, payload: { ...record.payload } };
    await withTimeout(
      this.get(record.queue).add(record.name, data, {
        jobId: record.jobId,
        delay: delayUntil(record.dueAt, now),
        attempts: definition?.attempts ?? this.options.attempts,
        backoff: { type: 'exponential', delay: definition?.backoffDelayMs ?? this.options.backoffDelayMs },
        // Completed jobs leave Redis at once: MongoDB keeps the history, and a job id must be free to be re-added.
        removeOnComplete: true,
        removeOnFail: this.options.keepFailedJobs,
      }),
      this.options.enqueueTimeoutMs,
      `adding job ${record.jobId}`,
    );
  }

  /**
   * Adds the Bull jobs of many pending records of one queue in one `addBulk` (one Redis round trip); ids already
   * there are no-ops, as with `enqueue`. Bounded by enqueueTimeoutMs.
   */
  async enqueueMany(queueName: string, records: readonly ScheduledWork[], now: Date): Promise<void> {
    if (records.length === 0) return;
    const jobs = records.map((record) => {
      const definition = this.options.jobs.find(
        (job) => job.queue === record.queue && job.name === record.name,
      );
      return {
        name: record.name,
        data: { revision: record.revision, payload: { ...record.payload } },
        opts: {
          jobId: record.jobId,
          delay: delayUntil(record.dueAt, now),
          attempts: definition?.attempts ?? this.options.attempts,
          backoff: {
            type: 'exponential',
            delay: definition?.backoffDelayMs ?? this.options.backoffDelayMs,
          },
          removeOnComplete: true,
          removeOnFail: this.options.keepFailedJobs,
        },
      };
    });
    await withTimeout(
      this.get(queueName).addBulk(jobs),
      this.options.enqueueTimeoutMs,
      `adding ${records.length} jobs to ${queueName}`,
    );
  }

  /** Removes a job unless a worker holds it (an active job is locked; its claim will fail on the revision). */
  removeUnlessActive(queue: string, jobId: string): Promise<boolean> {
    const remove = async (): Promise<boolean> => {
      const job = await this.get(queue).getJob(jobId);
      if (!job) return true;
      if ((await job.getState()) === 'active') return false;
      await job.remove();
      return true;
    };
    return withTimeout(remove(), this.options.enqueueTimeoutMs, `removing job ${jobId}`);
  }

  /** Redis key of a queue's sorted set of delayed jobs (Bull's layout: `<prefix>:<queue>:delayed`). */
  delayedKey(queue: string): string {
    return `${this.options.prefix}:${queue}:delayed`;
  }

  /**
   * What Redis holds for many job ids of one queue, in one pipelined round trip: whether the job's hash exists,
   * the revision its data carries, and its score in the delayed set (null when it is not delayed). Reconciliation's
   * fast path: a job that exists, carries the record's revision and is delayed needs nothing more.
   */
  async inspect(
    queue: string,
    jobIds: readonly string[],
  ): Promise<{ exists: boolean; revision: number | null; delayedScore: number | null }[]> {
    if (jobIds.length === 0) return [];
    const pipeline = this.requireClient().pipeline();
    for (const jobId of jobIds) {
      pipeline.hget(this.jobKey(queue, jobId), 'data');
      pipeline.zscore(this.delayedKey(queue), jobId);
    }
    const replies = await withTimeout(pipeline.exec(), this.options.enqueueTimeoutMs, `inspecting ${queue}`);
    if (!replies) throw new RedisUnavailableError('redis pipeline was not executed');
    return jobIds.map((_, index) => {
      const [dataError, data] = replies[2 * index];
      const [scoreError, score] = replies[2 * index + 1];
      if (dataError) throw dataError;
      if (scoreError) throw scoreError;
      return {
        exists: data !== null && data !== undefined,
        revision: revisionOf(data as string | null),
        delayedScore: score === null || score === undefined ? null : Number(score),
      };
    });
  }

  /** Redis key of a job's hash (Bull's layout: `<prefix>:<queue>:<jobId>`). */
  jobKey(queue: string, jobId: string): string {
    return `${this.options.prefix}:${queue}:${jobId}`;
  }

  /** Score of a job in the delayed set, or null when it is not there. */
  async delayedScore(queue: string, jobId: string): Promise<number | null> {
    const score = await this.requireClient().zscore(this.delayedKey(queue), jobId);
    return score === null ? null : Number(score);
  }

  /**
   * Readiness: fails fast while the connection is down (reconnecting or closed) instead of queueing a PING
   * behind the reconnect. A connection still starting (status connect: ready check in flight) is waited for
   * until ready, and a PING that fails with a closed connection while the client is reconnecting is retried
   * once; all of it bounded by readinessTimeoutMs.
   */
  async ping(): Promise<void> {
    const client = this.requireClient();
    if (DOWN_STATUSES.has(client.status)) {
      throw new RedisUnavailableError(`redis connection is ${client.status}`);
    }
    const attempt = async (): Promise<void> => {
      await waitUntilReady(client);
      try {
        await client.ping();
      } catch (error) {
        if ((error as Error).message !== CONNECTION_CLOSED || client.status !== 'reconnecting') throw error;
        await waitUntilReady(client);
        await client.ping();
      }
    };
    await withTimeout(attempt(), this.options.readinessTimeoutMs, 'redis ping');
  }

  /** Waits for active jobs (bounded by shutdownTimeoutMs), then closes queues and connections. */
  async close(): Promise<void> {
    const queues = this.all();
    try {
      await withTimeout(
        Promise.all(queues.map((queue) => queue.close())),
        this.options.shutdownTimeoutMs,
        'waiting for active jobs',
      );
    } catch (error) {
      this.logger.warn({
        msg: 'closing queues without waiting for active jobs',
        error: (error as Error).message,
      });
      await withTimeout(
        Promise.allSettled(queues.map((queue) => queue.close(true))),
        this.options.shutdownTimeoutMs,
        'closing queues',
      ).catch(() => undefined);
    }
    // Bull leaves connections it got from createClient to their owner. QUIT waits for replies to commands
    // already sent; when Redis is gone it would wait forever, hence the bound and the hard disconnect after.
    await withTimeout(
      Promise.allSettled(this.connections.map((connection) => connection.quit())),
      this.options.readinessTimeoutMs,
      'closing redis connections',
    ).catch(() => undefined);
    for (const connection of this.connections) connection.disconnect();
  }

  private requireClient(): Redis {
    if (!this.client) throw new RedisUnavailableError('scheduling queues are not open yet');
    return this.client;
  }

  private connect(role: string, extra: Partial<RedisOptions>): Redis {
    const connection = new Redis({
      ...redisConnectionOptions({
        REDIS_URL: this.options.redisUrl,
        REDIS_SENTINELS: this.options.redisSentinels,
        REDIS_SENTINEL_NAME: this.options.redisSentinelName,
      }),
      ...extra,
      connectionName: `linli-scheduling-${role}`,
    });
    connection.on('error', (error) =>
      this.logger.warn({ msg: 'redis connection error', role, error: error.message }),
    );
    this.connections.push(connection);
    return connection;
  }
}

const CONNECTION_CLOSED = 'Connection is closed.';

/** The revision a Bull job's data carries (see ScheduledJobData); null when unreadable. */
function revisionOf(data: string | null): number | null {
  if (!data) return null;
  try {
    const parsed = JSON.parse(data) as Partial<ScheduledJobData>;
    return typeof parsed.revision === 'number' ? parsed.revision : null;
  } catch {
    return null;
  }
}

/** Resolves once the connection is ready; rejects if it ends first. The caller bounds the wait. */
function waitUntilReady(client: Redis): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end') return Promise.reject(new RedisUnavailableError('redis connection is end'));
  return new Promise<void>((resolve, reject) => {
    const onReady = () => {
      client.off('end', onEnd);
      resolve();
    };
    const onEnd = () => {
      client.off('ready', onReady);
      reject(new RedisUnavailableError('redis connection is end'));
    };
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SchedulingTimeoutError(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
