// A delivery: one message to one recipient on one channel. Its id is deterministic (deliveryIdOf below), so a
// retried event, a redelivered Kafka message or a re-run broadcast finds the delivery already there and notifies
// nobody twice (one delivery per recipient per message). In-app deliveries are the inbox; SMS and webhook ones
// are queued and sent by channels/ (status, attempts, last error, receipts). The rendered text is kept (what the
// person was told, in their language); phones and webhook URLs are not copied here: the sender reads them from the
// contact or webhook at send time.
import { createHash } from 'node:crypto';
import {
  aggregatePlugin,
  eitherScope,
  jurisdictionScope,
  relationScope,
  scopeActorsBy,
  type AggregateFields,
} from '@linli/persistence';
import { Schema } from 'mongoose';
import { DELIVERY_CHANNELS, CONTACT_KINDS } from '@linli/contracts';
import { recipientIdOf } from '../contacts/recipient';

export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
export type ContactKind = (typeof CONTACT_KINDS)[number];

/**
 * delivered: in the inbox (in-app), the final state of that channel · queued: waiting for its channel's sender ·
 * sending: claimed by a sender · sent: the SMS gateway or the webhook took it (2xx) · failed: gave up after the
 * last attempt (or a refusal that no retry can mend) · refused: the target is not allowed (a private address).
 */
export const DELIVERY_STATUSES = ['delivered', 'queued', 'sending', 'sent', 'failed', 'refused'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryDocument extends AggregateFields {
  _id: string;
  /** What message this is, without the recipient: `alert:<alertId>:<sequence>`, `job-offered:<offerId>`… */
  messageKey: string;
  recipientId: string;
  recipientKind?: ContactKind;
  channel: DeliveryChannel;
  /** For webhook deliveries: the webhook endpoint (recipientId is the webhook id too). */
  webhookId?: string;
  /** Template name (templates/) and the language it was rendered in. */
  template: string;
  language: 'zh-CN' | 'en';
  title: string;
  body: string;
  /** Ids only, for the app to link to (alertId, jobId, ticketId…); the webhook payload's `data`. */
  data: Record<string, string | number | boolean>;
  /** The event that caused it. */
  cause: { eventType: string; eventId: string };
  jurisdiction: string;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  nextAttemptAt?: Date;
  sentAt?: Date;
  failedAt?: Date;
  /** In-app: when the recipient read it. */
  readAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** The deterministic delivery id of a message to a recipient: bounded, in the contracts' Id alphabet. */
export function deliveryIdOf(messageKey: string, recipientId: string): string {
  return `d-${createHash('sha256').update(`${messageKey}\n${recipientId}`).digest('base64url').slice(0, 32)}`;
}

export const deliverySchema = new Schema<DeliveryDocument>(
  {
    _id: { type: String, required: true },
    messageKey: { type: String, required: true },
    recipientId: { type: String, required: true },
    recipientKind: { type: String, enum: CONTACT_KINDS },
    channel: { type: String, enum: DELIVERY_CHANNELS, required: true },
    webhookId: String,
    template: { type: String, required: true },
    language: { type: String, enum: ['zh-CN', 'en'], required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    data: { type: Schema.Types.Mixed, default: {} },
    cause: { type: new Schema({ eventType: String, eventId: String }, { _id: false }), required: true },
    jurisdiction: { type: String, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    attempts: { type: Number, default: 0 },
    lastError: String,
    nextAttemptAt: Date,
    sentAt: Date,
    failedAt: Date,
    readAt: Date,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
deliverySchema.plugin(aggregatePlugin);
// The data layer's scope (ADR 0028): staff see the deliveries of their jurisdiction's subtree, and everyone sees
// their own (an inbox is its recipient's, wherever the alert behind an item was).
scopeActorsBy(deliverySchema, (actor) =>
  eitherScope(jurisdictionScope(actor, 'jurisdiction'), relationScope('recipientId', recipientIdOf(actor))),
);
// The inbox (a recipient's newest first, unread ones), a message's receipts, the senders' queue.
deliverySchema.index({ recipientId: 1, createdAt: -1 });
deliverySchema.index({ recipientId: 1, readAt: 1 });
deliverySchema.index({ messageKey: 1 });
deliverySchema.index({ channel: 1, status: 1 });
// A webhook's deliveries (GET /webhooks/:id/deliveries), newest first.
deliverySchema.index({ webhookId: 1, createdAt: -1 }, { sparse: true });
