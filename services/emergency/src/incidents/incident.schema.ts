// The incident aggregate as stored: its state, every update in `history`, version and pending events (outbox) in one
// document, so a change and the events it causes are one write. No personal data: an incident names places only.
import { aggregatePlugin, idempotencyPlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import { INCIDENT_STATUSES } from '@linli/contracts';
import type { IncidentState } from './incident.rules';

export const INCIDENT_SEQUENCE_MODEL = 'EmergencyIncidentSequence';

export type IncidentDocument = Omit<IncidentState, 'incidentId' | 'version'> &
  AggregateFields & { _id: string; updatedAt: Date };

const noId = { _id: false } as const;

export const incidentSchema = new Schema<IncidentDocument>(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: INCIDENT_STATUSES, required: true },
    kind: { type: String, required: true },
    severity: { type: String, required: true },
    title: { type: String, required: true },
    description: { type: String, required: true },
    areas: { type: [String], required: true },
    polygon: { type: Schema.Types.Mixed, default: undefined },
    jurisdiction: { type: String, required: true },
    source: { type: String, required: true },
    declaredAt: { type: Date, required: true },
    declaredBy: { type: String, required: true },
    closeReason: String,
    history: {
      type: [
        new Schema(
          {
            at: Date,
            actorId: String,
            change: String,
            status: String,
            severity: String,
            areas: { type: [String], default: undefined },
            addedAreas: { type: [String], default: undefined },
            removedAreas: { type: [String], default: undefined },
            polygon: Boolean,
            description: Boolean,
            reason: String,
          },
          noId,
        ),
      ],
      default: [],
    },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'incidents', versionKey: false, minimize: false },
);
incidentSchema.plugin(aggregatePlugin);
// The Idempotency-Key of POST /incidents, stored with the incident it declared.
incidentSchema.plugin(idempotencyPlugin);
incidentSchema.index({ jurisdiction: 1, declaredAt: -1 });
incidentSchema.index({ status: 1, declaredAt: -1 });

/** The daily sequence behind readable incident ids (I20261129-000123): one document per day in China. */
export const incidentSequenceSchema = new Schema<{ _id: string; sequence: number }>(
  { _id: { type: String, required: true }, sequence: { type: Number, required: true } },
  { collection: 'incident_sequences', versionKey: false },
);

const OPTIONAL_FIELDS = ['polygon', 'closeReason'] as const;

export function toIncidentState(document: IncidentDocument): IncidentState {
  const {
    _id,
    outbox: _outbox,
    outboxLease: _lease,
    updatedAt: _updatedAt,
    ...rest
  } = document as IncidentDocument & { outboxLease?: unknown };
  const state = {
    ...(rest as unknown as Omit<IncidentState, 'incidentId'>),
    incidentId: _id,
  } as IncidentState;
  const record = state as unknown as Record<string, unknown>;
  for (const field of OPTIONAL_FIELDS) if (record[field] === null) delete record[field];
  return state;
}

/** The fields a change writes: everything of the state but its id and version (those are the library's). */
export function storedFields(state: IncidentState, now: Date): Record<string, unknown> {
  const { incidentId: _id, version: _version, ...rest } = state;
  const fields: Record<string, unknown> = { ...rest, updatedAt: now };
  for (const field of OPTIONAL_FIELDS) if (fields[field] === undefined) fields[field] = null;
  return fields;
}

export function newDocument(state: IncidentState, now: Date): Omit<IncidentDocument, keyof AggregateFields> {
  const { incidentId, version: _version, ...rest } = state;
  return { ...rest, _id: incidentId, updatedAt: now };
}
