// The alert aggregate as stored: its current fields, every message (Alert, Updates, Cancel; an imported one with
// its CAP as posted), version and outbox in one document. Import keys make a CAP posted twice import once.
import { aggregatePlugin, idempotencyPlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import type { AlertFields, AlertMessage, AlertState } from './alert.rules';

export const ALERT_SEQUENCE_MODEL = 'EmergencyAlertSequence';
export const CAP_IMPORT_MODEL = 'EmergencyCapImport';

export type AlertDocument = Omit<AlertState, 'alertId' | 'version'> &
  AggregateFields & { _id: string; updatedAt: Date };

const noId = { _id: false } as const;
const fields = {
  audiences: [String],
  headline: String,
  description: String,
  instruction: String,
  urgency: String,
  severity: String,
  certainty: String,
  response: String,
  language: String,
  expiresAt: Date,
  acknowledgeWithinMs: Number,
  areas: [String],
};

const messageSchema = new Schema<AlertMessage>(
  {
    ...fields,
    sequence: { type: Number, required: true },
    messageType: { type: String, required: true },
    sentAt: { type: Date, required: true },
    actorId: String,
    acknowledgeBy: Date,
    broadcast: Boolean,
    reason: String,
    /** The posted CAP, kept as parsed (so it is written back the same). */
    cap: { type: Schema.Types.Mixed, default: undefined },
    capKey: String,
    /** An Update's or Cancel's Idempotency-Key: unique within its alert, checked on the read before the write. */
    idempotency: { type: { key: String, request: String }, _id: false, default: undefined },
  },
  { ...noId, minimize: false },
);

export const alertSchema = new Schema<AlertDocument>(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    status: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    source: { type: String, required: true },
    current: { type: new Schema<AlertFields>(fields, noId), required: true },
    messages: { type: [messageSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'alerts', versionKey: false, minimize: false },
);
alertSchema.plugin(aggregatePlugin);
// The Idempotency-Key of POST /incidents/:id/alerts, stored with the alert it issued.
alertSchema.plugin(idempotencyPlugin);
alertSchema.index({ incidentId: 1, createdAt: -1 });
alertSchema.index({ jurisdiction: 1, createdAt: -1 });

/** Per incident: the number of its last alert (`<incidentId>-A<n>`). */
export const alertSequenceSchema = new Schema<{ _id: string; sequence: number }>(
  { _id: { type: String, required: true }, sequence: { type: Number, required: true } },
  { collection: 'alert_sequences', versionKey: false },
);

/**
 * One per CAP Alert imported: `_id` a hash of its sender and identifier, the ids reserved for it, written before
 * them, so the same CAP posted again (or after a crash half-way) ends with the same incident and alert.
 */
export interface CapImportDocument {
  _id: string;
  sender: string;
  identifier: string;
  incidentId: string;
  alertId: string;
  /** The message of the alert this CAP became (1: it made the alert). */
  sequence: number;
  at: Date;
}
export const capImportSchema = new Schema<CapImportDocument>(
  {
    _id: { type: String, required: true },
    sender: { type: String, required: true },
    identifier: { type: String, required: true },
    incidentId: { type: String, required: true },
    alertId: { type: String, required: true },
    sequence: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'cap_imports', versionKey: false },
);

function stripNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripNulls) as T;
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (inner !== null && inner !== undefined) out[key] = key === 'cap' ? inner : stripNulls(inner);
  }
  return out as T;
}

export function toAlertState(document: AlertDocument): AlertState {
  const {
    _id,
    outbox: _outbox,
    outboxLease: _lease,
    updatedAt: _updatedAt,
    ...rest
  } = document as AlertDocument & { outboxLease?: unknown };
  return stripNulls({ ...(rest as unknown as Omit<AlertState, 'alertId'>), alertId: _id }) as AlertState;
}

export function storedFields(state: AlertState, now: Date): Record<string, unknown> {
  const { alertId: _id, version: _version, ...rest } = state;
  return { ...rest, updatedAt: now };
}

export function newDocument(state: AlertState, now: Date): Omit<AlertDocument, keyof AggregateFields> {
  const { alertId, version: _version, ...rest } = state;
  return { ...rest, _id: alertId, updatedAt: now };
}
