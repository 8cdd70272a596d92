// A webhook endpoint an organisation's system registered (a district's alarm board, a property company's app):
// where notifications POSTs deliveries, the secret it signs them with, and how the endpoint has been answering.
import { Schema } from 'mongoose';

export const WEBHOOK_STATUSES = ['healthy', 'failing'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];

export interface WebhookDocument {
  _id: string;
  url: string;
  description?: string;
  /** Administrative codes it is meant for (informative: contacts decide who is told what). */
  areas: string[];
  /** The jurisdiction of whoever registered it: who may read and remove it. */
  jurisdiction: string;
  /**
   * The HMAC key of the signatures. A secret, not a password: it cannot be stored hashed since every send signs
   * with it. Never shown after the registration's reply, never logged.
   */
  secret: string;
  active: boolean;
  status: WebhookStatus;
  /** Failed calls since the last success; 0 when healthy. */
  consecutiveFailures: number;
  lastError?: string;
  lastAttemptAt?: Date;
  lastSuccessAt?: Date;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const webhookSchema = new Schema<WebhookDocument>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    description: String,
    areas: { type: [String], default: [] },
    jurisdiction: { type: String, required: true },
    secret: { type: String, required: true, personal: true },
    active: { type: Boolean, required: true },
    status: { type: String, enum: WEBHOOK_STATUSES, required: true },
    consecutiveFailures: { type: Number, required: true, default: 0 },
    lastError: String,
    lastAttemptAt: Date,
    lastSuccessAt: Date,
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
webhookSchema.index({ jurisdiction: 1, _id: 1 });
