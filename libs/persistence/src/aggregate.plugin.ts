// The aggregate base as a schema plugin: a version for optimistic concurrency and an outbox of pending events,
// so a state change and the events it causes are one document write (atomic without transactions).
import type { CloudEvent } from '@linli/contracts';
import { Schema } from 'mongoose';

/** One pending event and the topic it goes to; the relay publishes it and then `$pull`s it by `event.id`. */
export interface OutboxEntry {
  topic: string;
  event: CloudEvent;
}

/** Held by the relay instance publishing a document's events, so no other instance publishes them meanwhile. */
export interface OutboxLease {
  owner: string;
  until: Date;
}

/** The fields the plugin adds to every aggregate. */
export interface AggregateFields {
  version: number;
  outbox: OutboxEntry[];
  outboxLease?: OutboxLease | null;
}

/** Path whose existence marks a document with pending events; the relay's query and the sparse index use it. */
export const OUTBOX_PENDING_PATH = 'outbox.event.id';
export const OUTBOX_PENDING_INDEX = 'outbox_pending';

/** The filter of documents with at least one pending event (served by the sparse `outbox_pending` index). */
export const PENDING_OUTBOX_FILTER = { [OUTBOX_PENDING_PATH]: { $exists: true } } as const;

export function aggregatePlugin(schema: Schema): void {
  schema.add({
    version: { type: Number, required: true, default: 0, min: 0 },
    // Mixed: events are already-validated CloudEvents; casting them through sub-schemas would only cost time.
    outbox: { type: [Schema.Types.Mixed], default: [] },
    outboxLease: {
      type: new Schema<OutboxLease>({ owner: String, until: Date }, { _id: false }),
      default: undefined,
    },
  });
  // Sparse: a document whose outbox is empty has no `outbox.event.id` and is not in the index at all, so the
  // relay's poll reads only documents with work, however large the collection grows.
  schema.index({ [OUTBOX_PENDING_PATH]: 1 }, { sparse: true, name: OUTBOX_PENDING_INDEX });
}
