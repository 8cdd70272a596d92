// A broadcast: one message of an emergency alert delivered to everyone concerned in its areas. The broadcast
// document (`<alertId>:<sequence>`) keeps the message (for its reminder), the progress of the pass and, at the end,
// carries broadcast.completed; each batch of recipients is a document of its own carrying its
// broadcast.recipients-resolved (deterministic id `<broadcastId>:<n>`, so a re-run adds no second event).
import { aggregatePlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';

export const BROADCAST_STATUSES = ['resolving', 'completed'] as const;

export interface BroadcastMessage {
  messageType: 'alert' | 'update' | 'cancel';
  headline: string;
  instruction?: string;
  severity: string;
}

export interface BroadcastDocument extends AggregateFields {
  _id: string;
  alertId: string;
  sequence: number;
  jurisdiction: string;
  areas: string[];
  audiences: string[];
  message: BroadcastMessage;
  status: (typeof BROADCAST_STATUSES)[number];
  recipientCount: number;
  byChannel: Record<string, number>;
  batches: number;
  /** The last contact of the last batch written: a pass run again (a crash, a rebalance) resumes after it. */
  lastContactId?: string;
  cause: { eventType: string; eventId: string };
  startedAt: Date;
  completedAt?: Date;
}

export const broadcastSchema = new Schema<BroadcastDocument>(
  {
    _id: { type: String, required: true },
    alertId: { type: String, required: true },
    sequence: { type: Number, required: true },
    jurisdiction: { type: String, required: true },
    areas: [String],
    audiences: [String],
    message: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: BROADCAST_STATUSES, required: true },
    recipientCount: { type: Number, default: 0 },
    byChannel: { type: Schema.Types.Mixed, default: {} },
    batches: { type: Number, default: 0 },
    lastContactId: String,
    cause: { type: Schema.Types.Mixed, required: true },
    startedAt: { type: Date, required: true },
    completedAt: Date,
  },
  { versionKey: false, minimize: false },
);
broadcastSchema.plugin(aggregatePlugin);

export interface BroadcastBatchDocument extends AggregateFields {
  _id: string;
  broadcastId: string;
  batch: number;
  recipientCount: number;
  createdAt: Date;
}

export const broadcastBatchSchema = new Schema<BroadcastBatchDocument>(
  {
    _id: { type: String, required: true },
    broadcastId: { type: String, required: true },
    batch: { type: Number, required: true },
    recipientCount: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
broadcastBatchSchema.plugin(aggregatePlugin);
broadcastBatchSchema.index({ broadcastId: 1 });
