// Records which events each consumer group has applied, so a redelivered event is recognised and skipped.
import type { Connection, Model } from 'mongoose';
import {
  DEFAULT_PROCESSED_EVENT_RETENTION_MS,
  PROCESSED_EVENT_MODEL,
  ProcessedEvent,
  processedEventSchema,
} from './processed-events.schema';

const DUPLICATE_KEY = 11000;

export interface ProcessedEventsStoreOptions {
  /** How long an id is remembered (TTL index). */
  retentionMs?: number;
}

/** The event being recorded, and where it was read from (kept for tracing, not for lookups). */
export interface ProcessedEventInput {
  id: string;
  type: string;
  topic?: string;
  partition?: number;
  offset?: string;
}

export class ProcessedEventsStore {
  readonly model: Model<ProcessedEvent>;

  constructor(connection: Connection, options: ProcessedEventsStoreOptions = {}) {
    this.model =
      (connection.models[PROCESSED_EVENT_MODEL] as Model<ProcessedEvent> | undefined) ??
      connection.model<ProcessedEvent>(
        PROCESSED_EVENT_MODEL,
        processedEventSchema(options.retentionMs ?? DEFAULT_PROCESSED_EVENT_RETENTION_MS),
      );
  }

  /** Consumers must not start before the unique index exists: without it `record` cannot detect a duplicate. */
  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /** Which of `eventIds` the group has already applied; one `$in` query for a whole fetch. */
  async has(group: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const unique = [...new Set(eventIds)];
    const found = await this.model
      .find({ group, eventId: { $in: unique } }, { eventId: 1, _id: 0 })
      .lean<{ eventId: string }[]>()
      .exec();
    return new Set(found.map((doc) => doc.eventId));
  }

  /**
   * Marks the event applied by the group. Returns false when it already was: a redelivery racing this one
   * (e.g. a consumer fenced off by a rebalance) is not an error, its effect was stored either way.
   */
  async record(group: string, event: ProcessedEventInput, now: Date = new Date()): Promise<boolean> {
    try {
      await this.model.collection.insertOne({
        group,
        eventId: event.id,
        type: event.type,
        topic: event.topic ?? null,
        partition: event.partition ?? null,
        offset: event.offset ?? null,
        processedAt: now,
      });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }
}
