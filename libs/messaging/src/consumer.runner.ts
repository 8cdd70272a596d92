// Runs one consumer group's event handlers on kafkajs: in order per partition, each event applied once,
// failures retried in place then dead-lettered, offsets committed only after the effect is stored.
import { Logger, type LoggerService } from '@nestjs/common';
import type { CloudEvent } from '@linli/contracts';
import type { ProcessedEventInput, ProcessedEventsStore } from '@linli/persistence';
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { publishDeadLetter, type DeadLetterKind } from './dead-letter';
import { ConsumerMetrics } from './consumer.metrics';
import {
  decodeMessage,
  handlerRegistry,
  nextOffset,
  partitionLag,
  planMessage,
  subscribedTopics,
  type ConsumerOutcome,
  type DecodedMessage,
  type EventHandlerRegistration,
  type HandlerRegistry,
} from './consumer.rules';
import {
  DEFAULT_CRASH_RESTART,
  DEFAULT_HANDLER_RETRY,
  backoffDelayMs,
  retryDelayMs,
  retryPolicy,
  type RetryPolicy,
} from './retry.policy';
import { DEFAULT_TOPIC_PARTITIONS } from './topics';

/**
 * Partitions handled at once by one member (kafkajs still hands one partition's batches over in order, one at a
 * time). A partition holds other aggregates than its neighbours, and with several instances of a service the
 * partitions are consumed concurrently anyway, by different processes: handlers must already be safe across
 * partitions, so one process doing the same costs no guarantee. Set to the default partition count of a topic;
 * a member holding fewer partitions simply uses fewer.
 */
export const DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY = DEFAULT_TOPIC_PARTITIONS;
/**
 * Handled events whose ids are recorded in one bulk insert. Bounds the window in which a crash re-applies
 * effects (ADR 11): at most this many events of one partition, or what was handled in `commitIntervalMs`.
 */
export const DEFAULT_RECORD_BATCH_SIZE = 500;
/**
 * How long an idle fetch waits at the broker (kafkajs' default is 5 s). A stop waits for the fetch in flight, so this
 * bounds how long a graceful shutdown spends on it; new events are returned at once either way.
 */
export const DEFAULT_MAX_WAIT_MS = 1_000;
/** Within a long batch, commit what is applied at least this often, so a crash redoes little. */
export const DEFAULT_COMMIT_INTERVAL_MS = 5_000;
/**
 * Retry waits are cut into slices of this length with a heartbeat between them: kafkajs heartbeats only when
 * asked, and a partition waiting out a backoff must not be thrown out of the group for it.
 */
export const RETRY_WAIT_SLICE_MS = 1_000;

/** Runs `fn` with the event's correlation id in scope (e.g. an AsyncLocalStorage the logger reads). */
export type RunInContext = <T>(event: CloudEvent, fn: () => Promise<T>) => Promise<T>;

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  handlers: EventHandlerRegistration[];
  processedEvents: ProcessedEventsStore;
  /** Connected by the caller (usually the service's one idempotent producer). */
  deadLetterProducer: Producer;
  /** Tries of a failing handler before the event is dead-lettered. */
  retry?: Partial<RetryPolicy>;
  /** Restarts after kafkajs gives up on a non-retriable error; readiness fails meanwhile and after. */
  restart?: Partial<RetryPolicy>;
  partitionsConsumedConcurrently?: number;
  /** Handled events whose ids are recorded per bulk insert, before their offsets are resolved. */
  recordBatchSize?: number;
  /**
   * Where a group with no committed offset starts. From the beginning by default: a new service builds its
   * read models from the history still retained, and a test never races its own consumer's join.
   */
  fromBeginning?: boolean;
  /** Passed to kafkajs (session timeout, heartbeat interval, max wait...). */
  consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  commitIntervalMs?: number;
  metrics?: Registry;
  logger?: LoggerService;
  runInContext?: RunInContext;
  /**
   * Called once when the consumer is down for good (restarts exhausted). DESIGN: the service must then recover
   * or exit; the Nest module exits the process so the supervisor (systemd, Kubernetes) starts a fresh one.
   */
  onGiveUp?: (reason: string) => void;
}

export interface ConsumerHealth {
  ok: boolean;
  reason?: string;
}

type RunnerState =
  | { status: 'idle' }
  | { status: 'joining' }
  | { status: 'running' }
  | { status: 'restarting'; reason: string }
  | { status: 'failed'; reason: string }
  | { status: 'stopped' };

export class ConsumerStateError extends Error {
  override readonly name = 'ConsumerStateError';
}

/** Handler outcome after its tries: applied, given up on, or interrupted by a stop or rebalance. */
type ApplyResult = { ok: true } | { ok: false; attempts: number; error: string } | { abandoned: true };

interface Origin {
  topic: string;
  partition: number;
  offset: string;
}

interface BatchProgress {
  /** The last message done with (handled, skipped or dead-lettered); resolvable once `unrecorded` is stored. */
  done?: string;
  resolved?: string;
  committed?: string;
  committedAt: number;
  /** Handled events whose ids are not stored yet: no offset at or after the first of them is resolved. */
  unrecorded: { event: CloudEvent; origin: Origin }[];
}

const runDirectly: RunInContext = (_event, fn) => fn();

export class ConsumerRunner {
  readonly groupId: string;
  readonly topics: string[];
  private readonly registry: HandlerRegistry;
  private readonly retry: RetryPolicy;
  private readonly restartPolicy: RetryPolicy;
  private readonly commitIntervalMs: number;
  private readonly recordBatchSize: number;
  private readonly metrics?: ConsumerMetrics;
  private readonly logger: LoggerService;
  private readonly runInContext: RunInContext;
  private state: RunnerState = { status: 'idle' };
  private consumer?: Consumer;
  private detachListeners: (() => void)[] = [];
  private restarts = 0;
  private restartTimer?: NodeJS.Timeout;
  private memberAssignment: Record<string, number[]> = {};

  constructor(private readonly options: ConsumerRunnerOptions) {
    this.groupId = options.groupId;
    this.registry = handlerRegistry(options.handlers);
    this.topics = subscribedTopics(options.handlers);
    this.retry = retryPolicy(DEFAULT_HANDLER_RETRY, options.retry);
    this.restartPolicy = retryPolicy(DEFAULT_CRASH_RESTART, options.restart);
    this.commitIntervalMs = options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS;
    this.recordBatchSize = Math.max(1, options.recordBatchSize ?? DEFAULT_RECORD_BATCH_SIZE);
    this.metrics = options.metrics ? new ConsumerMetrics(options.metrics, options.groupId) : undefined;
    this.logger = options.logger ?? new Logger(`ConsumerRunner:${options.groupId}`);
    this.runInContext = options.runInContext ?? runDirectly;
  }

  /** Connects, subscribes and starts consuming; resolves before the group is joined (see health()). */
  async start(): Promise<void> {
    if (this.state.status !== 'idle' && this.state.status !== 'stopped') {
      throw new ConsumerStateError(`consumer ${this.groupId} is already ${this.state.status}`);
    }
    // Without the unique index a redelivered event would not be recognised as one.
    await this.options.processedEvents.ensureIndexes();
    this.restarts = 0;
    await this.launch();
  }

  /**
   * Stops fetching, lets the message in hand finish (a handler in retry backoff is abandoned: the message
   * stays uncommitted for the next owner), commits what was applied, leaves the group and disconnects.
   */
  async stop(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const consumer = this.consumer;
    this.consumer = undefined;
    this.state = { status: 'stopped' };
    if (consumer) {
      // kafkajs' stop waits for the batch in flight, whose own loop commits before it returns.
      await consumer.stop();
      await consumer.disconnect();
    }
    this.detach();
    this.memberAssignment = {};
  }

  health(): ConsumerHealth {
    switch (this.state.status) {
      case 'running':
        return { ok: true };
      case 'joining':
        return { ok: false, reason: `consumer ${this.groupId} is joining its group` };
      case 'restarting':
      case 'failed':
        return { ok: false, reason: this.state.reason };
      case 'idle':
        return { ok: false, reason: `consumer ${this.groupId} is not started` };
      case 'stopped':
        return { ok: false, reason: `consumer ${this.groupId} is stopped` };
    }
  }

  /** Partitions this member holds, per topic, as of its last group join. */
  assignment(): Record<string, number[]> {
    return this.memberAssignment;
  }

  private async launch(): Promise<void> {
    const consumer = this.options.kafka.consumer({
      maxWaitTimeInMs: DEFAULT_MAX_WAIT_MS,
      ...this.options.consumerConfig,
      groupId: this.groupId,
    });
    this.consumer = consumer;
    this.state = { status: 'joining' };
    this.detachListeners = [
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        if (consumer !== this.consumer) return;
        this.memberAssignment = payload.memberAssignment;
        this.state = { status: 'running' };
      }),
      // Until the next join this member's partitions are not known; an old list would claim too much.
      consumer.on(consumer.events.REBALANCING, () => {
        if (consumer === this.consumer) this.memberAssignment = {};
      }),
      consumer.on(consumer.events.CRASH, ({ payload }) =>
        this.onCrash(consumer, payload.error, payload.restart),
      ),
    ];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: this.topics, fromBeginning: this.options.fromBeginning ?? true });
      await consumer.run({
        // Offsets are committed by consumeBatch, after effects are stored; kafkajs would otherwise commit at
        // the end of every fetch, and resolve the whole batch, whether the handlers finished or not.
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently:
          this.options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
        eachBatch: (payload) => this.consumeBatch(payload),
      });
    } catch (error) {
      this.detach();
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private detach(): void {
    this.detachListeners.forEach((off) => off());
    this.detachListeners = [];
  }

  /**
   * kafkajs restarts a consumer itself only after retriable errors; after any other it disconnects and stays
   * down. Then this runner restarts it, a bounded number of times, and readiness says why meanwhile.
   */
  private onCrash(consumer: Consumer, error: Error, kafkajsRestarts: boolean): void {
    if (consumer !== this.consumer) return;
    if (kafkajsRestarts) {
      this.state = {
        status: 'restarting',
        reason: `consumer ${this.groupId} crashed, kafkajs restarts it: ${error.message}`,
      };
      this.logger.warn({
        msg: 'consumer crashed; kafkajs restarts it',
        groupId: this.groupId,
        error: error.message,
      });
      return;
    }
    this.restarts += 1;
    if (this.restarts > this.restartPolicy.attempts) {
      const reason = `consumer ${this.groupId} crashed and ${this.restartPolicy.attempts} restarts failed: ${error.message}`;
      this.state = { status: 'failed', reason };
      this.logger.error({ msg: 'consumer is down for good', groupId: this.groupId, error: error.message });
      this.options.onGiveUp?.(reason);
      return;
    }
    const delayMs = backoffDelayMs(this.restarts, this.restartPolicy);
    const reason =
      `consumer ${this.groupId} crashed on a non-retriable error (${error.message}); ` +
      `restart ${this.restarts} of ${this.restartPolicy.attempts} in ${delayMs} ms`;
    this.state = { status: 'restarting', reason };
    this.logger.error({
      msg: 'consumer crashed; restarting it',
      groupId: this.groupId,
      error: error.message,
      delayMs,
    });
    this.detach();
    this.restartTimer = setTimeout(() => void this.relaunch(consumer), delayMs);
  }

  private async relaunch(crashed: Consumer): Promise<void> {
    this.restartTimer = undefined;
    if (this.consumer !== crashed) return; // stopped meanwhile
    try {
      await this.launch();
    } catch (error) {
      // launch() cleared this.consumer; put the crashed one back so onCrash counts this as the next failure.
      this.consumer = crashed;
      this.onCrash(crashed, error instanceof Error ? error : new Error(String(error)), false);
    }
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const decoded = batch.messages.map((message) => decodeMessage(message, this.registry));
    const ids = decoded.flatMap((d) => (d.kind === 'apply' ? [d.event.id] : []));
    // One lookup per fetch; ids applied during this batch are added as it goes (a duplicate can sit in the same
    // fetch as its original, before the original's id is stored).
    const processed = await this.options.processedEvents.has(this.groupId, ids);
    const progress: BatchProgress = { committedAt: Date.now(), unrecorded: [] };
    const end: Origin = { topic, partition, offset: '' };
    try {
      for (let i = 0; i < batch.messages.length; i += 1) {
        if (!payload.isRunning() || payload.isStale()) break;
        const message = batch.messages[i];
        const origin: Origin = { topic, partition, offset: message.offset };
        const finished = await this.consumeMessage(payload, message, decoded[i], processed, origin, progress);
        if (!finished) break;
        progress.done = message.offset;
        // Effect stored -> id recorded -> offset resolved: with ids waiting, the offset waits for them.
        if (progress.unrecorded.length >= this.recordBatchSize)
          await this.recordUnrecorded(payload, progress);
        else if (progress.unrecorded.length === 0) this.resolve(payload, progress);
        if (Date.now() - progress.committedAt >= this.commitIntervalMs) {
          await this.recordUnrecorded(payload, progress);
          await this.commit(payload, end, progress);
        }
        await payload.heartbeat();
      }
      // Also after a break (stop, rebalance): what was applied is recorded and committed, nothing more.
      await this.recordUnrecorded(payload, progress);
      await this.commit(payload, end, progress);
      // Sampled once per batch: per message it would be a metrics call on the hot path for a gauge scraped rarely.
      if (this.metrics && progress.done !== undefined)
        this.metrics.setLag(topic, partition, partitionLag(batch.highWatermark, progress.done));
      // A batch went through: the consumer is healthy again, a later crash starts a fresh restart budget.
      this.restarts = 0;
    } catch (error) {
      // Record and commit what was applied, so whoever retries this partition (kafkajs, or the next owner after a
      // rebalance) starts at the message that failed; if recording fails too, the applied tail is redelivered
      // and the handlers' idempotency covers it (ADR 11).
      await this.recordUnrecorded(payload, progress)
        .then(() => this.commit(payload, end, progress))
        .catch(() => undefined);
      throw error;
    }
  }

  private resolve(payload: EachBatchPayload, progress: BatchProgress): void {
    if (progress.done === undefined || progress.done === progress.resolved) return;
    payload.resolveOffset(progress.done);
    progress.resolved = progress.done;
  }

  /**
   * Stores the ids of the events handled since the last call (one bulk insert), then resolves the offsets up to
   * the last message done with. Retried in place: giving up would have kafkajs redeliver the events, and the
   * handlers apply them a second time.
   */
  private async recordUnrecorded(payload: EachBatchPayload, progress: BatchProgress): Promise<void> {
    const pending = progress.unrecorded;
    if (pending.length > 0) {
      const events: ProcessedEventInput[] = pending.map(({ event, origin }) => ({
        id: event.id,
        type: event.type,
        ...origin,
      }));
      for (let attempt = 1; ; attempt += 1) {
        try {
          await this.options.processedEvents.recordMany(this.groupId, events);
          break;
        } catch (error) {
          const delayMs = retryDelayMs(attempt, this.retry);
          this.logger.warn({
            msg: 'could not record events as processed',
            groupId: this.groupId,
            ...pending[0].origin,
            events: events.length,
            attempt,
            error: errorMessage(error),
          });
          if (delayMs === null || !(await this.waitBeforeRetry(payload, delayMs))) throw error;
        }
      }
      progress.unrecorded = [];
      for (const { event, origin } of pending) this.count(origin.topic, event.type, 'handled');
    }
    this.resolve(payload, progress);
  }

  private async commit(payload: EachBatchPayload, origin: Origin, progress: BatchProgress): Promise<void> {
    if (progress.resolved === undefined || progress.resolved === progress.committed) return;
    const offset = nextOffset(progress.resolved);
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic: origin.topic, partitions: [{ partition: origin.partition, offset }] }],
    });
    progress.committed = progress.resolved;
    progress.committedAt = Date.now();
  }

  /** True when the message is done with (applied, skipped or dead-lettered) and its offset may be resolved. */
  private async consumeMessage(
    payload: EachBatchPayload,
    message: KafkaMessage,
    decoded: DecodedMessage,
    processed: Set<string>,
    origin: Origin,
    progress: BatchProgress,
  ): Promise<boolean> {
    const plan = planMessage(decoded, processed);
    switch (plan.action) {
      case 'skip':
        if (plan.outcome === 'duplicate') {
          this.logger.log({ msg: 'duplicate event skipped', ...this.describe(plan.event, origin) });
        }
        this.count(origin.topic, plan.event.type, plan.outcome);
        return true;
      case 'dead-letter':
        await this.deadLetter(message, origin, plan.kind, plan.error, 1, plan.event);
        return true;
      case 'apply': {
        const { event, handler } = plan;
        const result = await this.applyWithRetries(payload, event, handler, origin, progress);
        if ('abandoned' in result) return false;
        if (!result.ok) {
          await this.deadLetter(message, origin, 'handler-failed', result.error, result.attempts, event);
          return true;
        }
        // Recorded with the rest of its sub-batch (recordUnrecorded) before its offset is resolved.
        progress.unrecorded.push({ event, origin });
        processed.add(event.id);
        return true;
      }
    }
  }

  private async applyWithRetries(
    payload: EachBatchPayload,
    event: CloudEvent,
    handler: EventHandlerRegistration,
    origin: Origin,
    progress: BatchProgress,
  ): Promise<ApplyResult> {
    for (let attempt = 1; ; attempt += 1) {
      const endTimer = this.metrics?.timeHandler(event.type);
      try {
        await this.runInContext(event, () => handler.handle(event, { ...origin, attempt }));
        endTimer?.('ok');
        return { ok: true };
      } catch (error) {
        endTimer?.('error');
        const message = errorMessage(error);
        const delayMs = retryDelayMs(attempt, this.retry);
        this.logger.warn({
          msg: 'event handler failed',
          ...this.describe(event, origin),
          attempt,
          delayMs,
          error: message,
        });
        if (delayMs === null) return { ok: false, attempts: attempt, error: message };
        // The events handled before this one are done: record them now, so a long retry (or a crash during it)
        // does not keep their re-apply window open for the whole backoff.
        if (attempt === 1) await this.recordUnrecorded(payload, progress);
        if (!(await this.waitBeforeRetry(payload, delayMs))) return { abandoned: true };
      }
    }
  }

  /** False when the consumer is stopping: the caller gives the message up uncommitted. */
  private async waitBeforeRetry(payload: EachBatchPayload, delayMs: number): Promise<boolean> {
    const until = Date.now() + delayMs;
    for (let left = delayMs; left > 0; left = until - Date.now()) {
      await sleep(Math.min(left, RETRY_WAIT_SLICE_MS));
      if (!payload.isRunning()) return false;
      await payload.heartbeat();
    }
    return payload.isRunning();
  }

  private async deadLetter(
    message: KafkaMessage,
    origin: Origin,
    kind: DeadLetterKind,
    error: string,
    attempts: number,
    event?: CloudEvent,
  ): Promise<void> {
    await publishDeadLetter(this.options.deadLetterProducer, message, {
      kind,
      error,
      attempts,
      ...origin,
      groupId: this.groupId,
      failedAt: new Date(),
    });
    this.metrics?.countDeadLetter(origin.topic, kind);
    this.count(origin.topic, event?.type, 'dead-lettered');
    this.logger.warn({
      msg: 'message dead-lettered',
      ...(event ? this.describe(event, origin) : { groupId: this.groupId, ...origin }),
      kind,
      attempts,
      error,
    });
  }

  private count(topic: string, type: string | undefined, outcome: ConsumerOutcome): void {
    this.metrics?.countEvent(
      topic,
      type !== undefined && this.registry.has(type) ? type : undefined,
      outcome,
    );
  }

  private describe(event: CloudEvent, origin: Origin): Record<string, unknown> {
    return {
      groupId: this.groupId,
      ...origin,
      eventId: event.id,
      eventType: event.type,
      subject: event.subject,
      correlationId: event.correlationid,
    };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
