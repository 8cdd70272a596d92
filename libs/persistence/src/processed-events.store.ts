// Records which events each consumer group has applied, so a redelivered event is recognised and skipped.
import type { Collection, Connection, Model } from 'mongoose';
import {
  DEFAULT_PROCESSED_EVENT_RETENTION_MS,
  PROCESSED_EVENT_MODEL,
  ProcessedEvent,
  processedEventKey,
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

interface WriteErrorLike {
  code?: unknown;
}

export class ProcessedEventsStore {
  readonly model: Model<ProcessedEvent>;
  /** Raw driver calls: no casting or hooks on the consumer's hot path (DESIGN: bulk writes skip mongoose). */
  private readonly collection: Collection<ProcessedEvent>;

  constructor(connection: Connection, options: ProcessedEventsStoreOptions = {}) {
    this.model =
      (connection.models[PROCESSED_EVENT_MODEL] as Model<ProcessedEvent> | undefined) ??
      connection.model<ProcessedEvent>(
        PROCESSED_EVENT_MODEL,
        processedEventSchema(options.retentionMs ?? DEFAULT_PROCESSED_EVENT_RETENTION_MS),
      );
    this.collection = this.model.collection as unknown as Collection<ProcessedEvent>;
  }

  /** The TTL index; uniqueness needs none beyond `_id` (see processedEventKey). */
  async ensureIndexes(): Promise<void> {
    // The model's own build (mongoose starts it when the model is made, autoIndex on), awaited, never a second
    // one: two builds at once on a collection that does not exist yet make mongo-java-server fail one of them
    // ("already existed in system.namespaces"), which stopped a service at start-up now and then.
    await this.model.init();
    if (this.model.db.config.autoIndex === false) await this.model.createIndexes();
  }

  /** Which of `eventIds` the group has already applied; one `_id: {$in}` query for a whole fetch. */
  async has(group: string, eventIds: readonly string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const keys = [...new Set(eventIds)].map((id) => processedEventKey(group, id));
    const found = await this.collection
      .find({ _id: { $in: keys } }, { projection: { eventId: 1 } })
      .toArray();
    return new Set(found.map((doc) => doc.eventId));
  }

  /**
   * Marks the event applied by the group. Returns false when it already was: a redelivery racing this one
   * (e.g. a consumer fenced off by a rebalance) is not an error, its effect was stored either way.
   */
  async record(group: string, event: ProcessedEventInput, now: Date = new Date()): Promise<boolean> {
    try {
      await this.collection.insertOne(toDocument(group, event, now));
      return true;
    } catch (error) {
      if ((error as WriteErrorLike).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /**
   * Marks many events applied by the group in one unordered bulk insert (one round trip instead of one per
   * event). Ids already recorded are duplicates, tolerated as in `record`; any other failure throws, and since
   * the insert is idempotent the caller may simply retry the whole list.
   */
  async recordMany(
    group: string,
    events: readonly ProcessedEventInput[],
    now: Date = new Date(),
  ): Promise<void> {
    if (events.length === 0) return;
    try {
      // ordered: false, so a duplicate in the middle does not stop the ids after it from being recorded.
      await this.collection.insertMany(
        events.map((event) => toDocument(group, event, now)),
        { ordered: false },
      );
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
    }
  }
}

function toDocument(group: string, event: ProcessedEventInput, now: Date): ProcessedEvent {
  return {
    _id: processedEventKey(group, event.id),
    group,
    eventId: event.id,
    type: event.type,
    topic: event.topic ?? null,
    partition: event.partition ?? null,
    offset: event.offset ?? null,
    processedAt: now,
  };
}

/** A bulk insert that failed only on ids already present (every write error a duplicate key). */
function onlyDuplicates(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: WriteErrorLike[] | WriteErrorLike }).writeErrors;
  if (writeErrors === undefined) return (error as WriteErrorLike).code === DUPLICATE_KEY;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  return list.length > 0 && list.every((w) => w.code === DUPLICATE_KEY);
}
