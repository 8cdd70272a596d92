// An escalation (上报) as stored: an elder living alone whose visits were missed too many times in a row, for the
// community's emergency contact list to act on. Ids and codes only: the contacts to call are read when it is shown,
// so no personal data is copied here. elder.escalated leaves through this document's outbox.
import { ELDER_ESCALATION_REASONS } from '@linli/contracts';
import { aggregatePlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';

export const ESCALATION_MODEL = 'Escalation';
export const ESCALATION_STATUSES = ['open', 'acknowledged'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

export interface EscalationDocument extends AggregateFields {
  /** `X<elderId>-<n>`: the elder's n-th escalation, so a retried effect finds the one it made. */
  _id: string;
  elderId: string;
  /** The elder's community code: the jurisdiction every query is scoped by. */
  jurisdiction: string;
  reason: (typeof ELDER_ESCALATION_REASONS)[number];
  /** The missed visits, oldest first. */
  visitIds: string[];
  status: EscalationStatus;
  acknowledgedAt?: Date | null;
  acknowledgedBy?: string | null;
  note?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const escalationSchema = new Schema<EscalationDocument>(
  {
    _id: { type: String, required: true },
    elderId: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    reason: { type: String, enum: ELDER_ESCALATION_REASONS, required: true },
    visitIds: { type: [String], default: [] },
    status: { type: String, enum: ESCALATION_STATUSES, required: true },
    acknowledgedAt: { type: Date, default: null },
    acknowledgedBy: { type: String, default: null },
    note: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'escalations', versionKey: false },
);
escalationSchema.plugin(aggregatePlugin);
// The supervisors' worklist (a community's open escalations, newest first) and an elder's escalations.
escalationSchema.index({ jurisdiction: 1, status: 1, createdAt: -1 });
escalationSchema.index({ elderId: 1, createdAt: -1 });
