// The ids of events a consumer group has applied: what makes a redelivered event a no-op.
import { Schema } from 'mongoose';

export const PROCESSED_EVENTS_COLLECTION = 'processed_events';
export const PROCESSED_EVENT_MODEL = 'ProcessedEvent';

/**
 * How long an id is remembered. A redelivery can only come from Kafka's retention window (7 days by default)
 * or an outbox relay republishing after a crash (minutes), so a month leaves a wide margin.
 */
export const DEFAULT_PROCESSED_EVENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The document id: the group and the event id in one string. Length-prefixed, so no choice of group or event id
 * can make two pairs collide (`a:b` + `c` vs `a` + `b:c`).
 *
 * Why the pair is the `_id` rather than a unique compound index: the `_id` index is the one index every
 * MongoDB-wire server serves for `_id: {$in: [...]}`. mongo-java-server answered the batched lookup
 * `{group, eventId: {$in: 500 ids}}` by scanning the collection (0.5-0.8 s per fetch with 20,000 ids stored,
 * growing with the collection), `_id: {$in}` in ~50 ms; and each secondary unique index made bulk inserts
 * several times slower there. The `_id` is unique by nature, so the guarantee is unchanged.
 */
export function processedEventKey(group: string, eventId: string): string {
  return `${group.length}:${group}:${eventId}`;
}

export interface ProcessedEvent {
  /** processedEventKey(group, eventId): its uniqueness is the idempotency guarantee itself. */
  _id: string;
  /** The consumer group: two services reading the same event each apply it once. */
  group: string;
  eventId: string;
  type: string;
  /** Where it was read, for an operator tracing a duplicate. */
  topic: string | null;
  partition: number | null;
  offset: string | null;
  processedAt: Date;
}

export function processedEventSchema(retentionMs: number): Schema<ProcessedEvent> {
  const schema = new Schema<ProcessedEvent>(
    {
      _id: { type: String, required: true },
      group: { type: String, required: true },
      eventId: { type: String, required: true },
      type: { type: String, required: true },
      topic: { type: String, default: null },
      partition: { type: Number, default: null },
      offset: { type: String, default: null },
      processedAt: { type: Date, required: true },
    },
    { collection: PROCESSED_EVENTS_COLLECTION, versionKey: false, autoIndex: false },
  );
  // No (group, eventId) index: the _id is that pair (see processedEventKey). Databases created before this change
  // keep their old unique index, which is harmless (a duplicate still fails, and is tolerated as one).
  schema.index(
    { processedAt: 1 },
    { expireAfterSeconds: Math.ceil(retentionMs / 1000), name: 'processedAt_ttl' },
  );
  return schema;
}
