// Publishes the events aggregates keep in their outbox (see @linli/persistence aggregatePlugin): claim documents
// with a lease, publish their events in one batch, then $pull exactly what was sent and release the lease.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Logger, type LoggerService } from '@nestjs/common';
import { type OutboxEntry, PENDING_OUTBOX_FILTER, onOutboxWrite } from '@linli/persistence';
import type { Collection, Model } from 'mongoose';
import type { MessagingMetrics } from './metrics';
import type { EventProducer } from './producer';
import { RelayLoop } from './relay-loop';
import { withDefaults } from '@linli/platform';

const SECOND = 1000;

export const OUTBOX_RELAY_DEFAULTS = {
  /** The safety net: a write in another process (or a lost nudge) is published this late while writes come. */
  pollIntervalMs: SECOND,
  /**
   * Each poll that finds nothing doubles the wait before the next, up to this: a poll is a query on every outbox
   * collection (on mongo-java-server, which uses no index for it, a scan), and an idle service should not scan
   * its collections every second. Writes in this process wake the relay at once whatever the wait; a write in
   * another process, whose own relay died with it, is published at most this late (plus the lease).
   */
  idlePollMaxMs: 10 * SECOND,
  /** Documents claimed and published per batch (one MongoDB claim, one Kafka request). */
  batchSize: 500,
  /**
   * Full batches one pass publishes back to back, each claimed while the one before is in Kafka. Bounded so that
   * stop() waits for a few batches at most, not for a whole backlog.
   */
  batchesPerPass: 8,
  /** How long a claim keeps other relays off a document; far longer than one publish should take. */
  leaseMs: 30 * SECOND,
  /**
   * A batch is not sent when less than this is left of its lease: another relay could take the documents over
   * mid-send and publish their later events first.
   */
  leaseSafetyMs: 10 * SECOND,
  /** Pause after a failed pass (Kafka or MongoDB away) before the next. */
  errorBackoffMs: SECOND,
  /** At shutdown, how long the relay keeps publishing what is pending before it gives up (the next start will). */
  shutdownFlushTimeoutMs: 10 * SECOND,
} as const;

export type OutboxRelayOptions = { -readonly [K in keyof typeof OUTBOX_RELAY_DEFAULTS]?: number } & {
  /** Identifies this instance in leases; default host:pid:random. */
  owner?: string;
};

interface OutboxDocument {
  _id: unknown;
  outbox?: OutboxEntry[];
}

interface BatchResult {
  published: number;
  /** The batch was full: more documents are probably waiting. */
  full: boolean;
}

/** A batch whose documents this relay leases (under `token`), ready to send. */
interface ClaimedBatch {
  token: string;
  until: Date;
  claimed: OutboxDocument[];
  sendable: OutboxDocument[];
  entries: OutboxEntry[];
  full: boolean;
}

/** A claim attempt, settled: the next claim runs while a send is awaited, so its failure must not go unhandled. */
type ClaimOutcome = { ok: true; batch?: ClaimedBatch; full: boolean } | { ok: false; error: unknown };

interface RegisteredModel {
  name: string;
  collection: Collection<OutboxDocument>;
}

export class OutboxRelay {
  readonly owner: string;
  private readonly options: Required<Omit<OutboxRelayOptions, 'owner'>>;
  private readonly logger: LoggerService;
  private readonly models = new Map<string, RegisteredModel>();
  private claims = 0;
  private readonly loop: RelayLoop;
  private pass?: Promise<BatchResult>;
  private stopListening?: () => void;

  constructor(
    private readonly producer: EventProducer,
    options: OutboxRelayOptions = {},
    private readonly metrics?: MessagingMetrics,
    logger?: LoggerService,
  ) {
    const { owner, ...limits } = options;
    this.options = withDefaults(OUTBOX_RELAY_DEFAULTS, limits);
    this.owner = owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.logger = logger ?? new Logger(OutboxRelay.name);
    this.loop = new RelayLoop(
      async () => {
        const { published, full } = await this.publishPending();
        // A full batch published means more is waiting (a full batch of documents leased by others does not).
        return { published, more: full };
      },
      {
        pollIntervalMs: this.options.pollIntervalMs,
        idlePollMaxMs: this.options.idlePollMaxMs,
        errorBackoffMs: this.options.errorBackoffMs,
      },
      (error) => this.logger.error({ msg: 'outbox relay pass failed', error: error.message }),
    );
  }

  /** A model whose schema uses aggregatePlugin. The relay works on its raw collection (no casting, no hooks). */
  register(model: Pick<Model<unknown>, 'collection'>): void {
    const collection = model.collection as unknown as Collection<OutboxDocument>;
    this.models.set(collection.collectionName, { name: collection.collectionName, collection });
  }

  get collections(): string[] {
    return [...this.models.keys()];
  }

  /** Documents with pending events, per collection (the backlog gauge). */
  async backlog(): Promise<{ collection: string; pending: number }[]> {
    return Promise.all(
      [...this.models.values()].map(async ({ name, collection }) => ({
        collection: name,
        pending: await collection.countDocuments(PENDING_OUTBOX_FILTER),
      })),
    );
  }

  /** Starts polling; a write through @linli/persistence in this process wakes it at once. */
  start(): void {
    if (this.loop.isRunning) return;
    this.stopListening = onOutboxWrite((collection) => {
      if (this.models.has(collection)) this.nudge();
    });
    this.loop.start();
  }

  /** Publish soon: called after a local write so its events do not wait for the next poll. */
  nudge(): void {
    this.loop.nudge();
  }

  /** Stops polling, then keeps publishing what is pending for up to `shutdownFlushTimeoutMs`. */
  async stop(): Promise<void> {
    if (!this.loop.isRunning) return;
    this.stopListening?.();
    await this.loop.stop();
    const left = await this.flush(this.options.shutdownFlushTimeoutMs).catch((error: Error) => {
      this.logger.error({ msg: 'outbox flush at shutdown failed', error: error.message });
      return -1;
    });
    if (left !== 0) this.logger.warn({ msg: 'outbox not empty at shutdown; the next start publishes it' });
  }

  /**
   * Publishes until nothing is pending (that this relay may claim) or the time is up. Returns how many documents
   * were still pending when it stopped (0: all published).
   */
  async flush(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // Nothing published: either nothing is pending or another relay holds it; spinning would not help.
      const { published } = await this.publishPending();
      if (published === 0) break;
    }
    return (await this.backlog()).reduce((sum, { pending }) => sum + pending, 0);
  }

  /**
   * One pass over every registered collection: a batch each, more while they come full (up to `batchesPerPass`);
   * concurrent callers share the pass in flight.
   */
  publishPending(): Promise<BatchResult> {
    if (!this.pass) {
      this.pass = this.runPass().finally(() => {
        this.pass = undefined;
      });
    }
    return this.pass;
  }

  private async runPass(): Promise<BatchResult> {
    const total: BatchResult = { published: 0, full: false };
    for (const model of this.models.values()) {
      const result = await this.publishBatches(model);
      total.published += result.published;
      total.full ||= result.full;
    }
    return total;
  }

  /**
   * Publishes full batches back to back, claiming the next while the current one is in Kafka: the claim's MongoDB
   * round trips (find, claim, read back) overlap the send instead of following it. Safe for order: the next
   * claim skips every document the current batch leases, a document is released only by the same atomic update
   * that pulls its sent events, and sends stay one at a time, in claim order.
   */
  private async publishBatches(model: RegisteredModel): Promise<BatchResult> {
    const total: BatchResult = { published: 0, full: false };
    let next: Promise<ClaimOutcome> | undefined = this.claimBatch(model);
    for (let round = 1; next; round += 1) {
      const outcome: ClaimOutcome = await next;
      next = undefined;
      if (!outcome.ok) throw outcome.error;
      total.full = outcome.full;
      if (!outcome.batch) break;
      if (outcome.full && round < this.options.batchesPerPass) next = this.claimBatch(model);
      try {
        total.published += await this.sendBatch(model, outcome.batch);
      } catch (error) {
        // The claim in flight is not sent after a failed one: release it now rather than at its lease's end.
        const pending: ClaimOutcome | undefined = await next;
        if (pending?.ok && pending.batch) {
          await this.release(model.collection, pending.batch.token).catch(() => undefined);
        }
        throw error;
      }
    }
    return total;
  }

  private claimBatch(model: RegisteredModel): Promise<ClaimOutcome> {
    return this.claim(model).then(
      (claimed) => claimed,
      (error: unknown) => ({ ok: false, error }),
    );
  }

  private async claim({ name, collection }: RegisteredModel): Promise<ClaimOutcome> {
    const startedAt = Date.now();
    const leaseFree = {
      $or: [{ outboxLease: null }, { 'outboxLease.until': { $lt: new Date(startedAt) } }],
    };
    const candidates = await collection
      .find(
        { ...PENDING_OUTBOX_FILTER, ...leaseFree },
        { projection: { _id: 1 }, sort: { _id: 1 }, limit: this.options.batchSize },
      )
      .toArray();
    if (candidates.length === 0) return { ok: true, full: false };
    // One token per claim: the claimed set is then read back by it, three round trips for the whole batch.
    const token = `${this.owner}:${++this.claims}`;
    const until = new Date(startedAt + this.options.leaseMs);
    // The candidates are the first free pending documents in _id order, so the _id range they span holds just them
    // (and any written since): a range, not an $in, because mongo-java-server scans the collection once per $in
    // value when the filter has more than _id, and a range is served by the _id index on both servers.
    await collection.updateMany(
      {
        _id: { $gte: candidates[0]._id, $lte: candidates[candidates.length - 1]._id },
        ...PENDING_OUTBOX_FILTER,
        ...leaseFree,
      } as never,
      { $set: { outboxLease: { owner: token, until } } },
    );
    const claimed = await collection
      .find({ 'outboxLease.owner': token } as never, { projection: { outbox: 1 } })
      .toArray();
    const full = candidates.length >= this.options.batchSize;
    if (claimed.length === 0) return { ok: true, full };

    const { sendable, poisoned } = splitPoisoned(claimed);
    if (poisoned.length > 0) {
      this.logger.error({
        msg: 'outbox holds entries that are not {topic, event} CloudEvents; those documents are held back',
        collection: name,
        ids: poisoned.map((document) => String(document._id)),
      });
      // Kept under a lease of their own, so they are looked at again once per lease, not at every poll.
      await collection.updateMany({ _id: { $in: poisoned.map((d) => d._id) } } as never, {
        $set: { outboxLease: { owner: `${token}:held`, until } },
      });
    }
    const entries = sendable.flatMap((document) => document.outbox ?? []);
    if (entries.length === 0) {
      await this.release(collection, token);
      return { ok: true, full };
    }
    return { ok: true, full, batch: { token, until, claimed, sendable, entries, full } };
  }

  /** Sends a claimed batch in one request, then pulls exactly what was sent; returns the events published. */
  private async sendBatch({ name, collection }: RegisteredModel, batch: ClaimedBatch): Promise<number> {
    const { token, until, claimed, sendable, entries } = batch;
    // Checked at send time, not claim time: a pipelined claim waits for the send before it.
    if (Date.now() > until.getTime() - this.options.leaseSafetyMs) {
      await this.release(collection, token);
      return 0;
    }
    try {
      await this.producer.publish(entries);
    } catch (error) {
      this.metrics?.countFailure(name);
      await this.release(collection, token).catch(() => undefined);
      throw error;
    }
    const ackedAt = Date.now();
    for (const { topic, event } of entries)
      this.metrics?.countPublished(topic, event.type, event.time, ackedAt);

    // Event ids are unique, so pulling the batch's ids from every claimed document removes exactly what was sent,
    // and events written during the send stay for the next batch. The pull and the release are one update.
    const sent = { $pull: { outbox: { 'event.id': { $in: entries.map((entry) => entry.event.id) } } } };
    const done = await collection.updateMany(
      { 'outboxLease.owner': token } as never,
      {
        ...sent,
        $unset: { outboxLease: '' },
      } as never,
    );
    if (done.matchedCount < claimed.length) {
      // The lease ran out and another relay holds some documents: still mark the sent events as sent.
      await collection.updateMany({ _id: { $in: sendable.map((d) => d._id) } } as never, sent as never);
    }
    return entries.length;
  }

  private async release(collection: Collection<OutboxDocument>, token: string): Promise<void> {
    await collection.updateMany({ 'outboxLease.owner': token } as never, { $unset: { outboxLease: '' } });
  }
}

/** Entries written around @linli/persistence (by hand, by a migration) can be malformed: hold those documents. */
function splitPoisoned(documents: OutboxDocument[]): {
  sendable: OutboxDocument[];
  poisoned: OutboxDocument[];
} {
  const sendable: OutboxDocument[] = [];
  const poisoned: OutboxDocument[] = [];
  for (const document of documents) {
    const ok = (document.outbox ?? []).every(
      (entry) =>
        typeof entry?.topic === 'string' &&
        typeof entry.event?.id === 'string' &&
        typeof entry.event.subject === 'string' &&
        typeof entry.event.type === 'string',
    );
    (ok ? sendable : poisoned).push(document);
  }
  return { sendable, poisoned };
}
