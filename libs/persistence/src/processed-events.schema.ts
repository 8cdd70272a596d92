// The ids of events a consumer group has applied: what makes a redelivered event a no-op.
import { Schema } from 'mongoose';

export const PROCESSED_EVENTS_COLLECTION = 'processed_events';
export const PROCESSED_EVENT_MODEL = 'ProcessedEvent';

/**
 * How long an id is remembered. A redelivery can only come from Kafka's retention window (7 days by default)
 * or an outbox relay republishing after a crash (minutes), so a month leaves a wide margin.
 */
export const DEFAULT_PROCESSED_EVENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface ProcessedEvent {
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
  // The unique index is the idempotency guarantee itself: a second record of the same event fails.
  schema.index({ group: 1, eventId: 1 }, { unique: true, name: 'group_eventId_unique' });
  schema.index(
    { processedAt: 1 },
    { expireAfterSeconds: Math.ceil(retentionMs / 1000), name: 'processedAt_ttl' },
  );
  return schema;
}
