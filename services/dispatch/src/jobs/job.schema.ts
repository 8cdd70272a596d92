// The job aggregate as stored: its state, version and pending events (outbox) in one document, so every state
// change and the events it causes are one write. Ids and codes only: no personal data of the resident here.
import { aggregatePlugin, scopeActorsBy, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import { JOB_STATUSES, OFFER_STATUSES, type JobState } from './job.rules';

export const JOB_MODEL = 'Job';

/** Roles that see jobs by jurisdiction; the others only by their relation to a job. */
export const STAFF_ROLES = ['admin', 'supervisor', 'coordinator', 'operator'] as const;

export type JobDocument = Omit<JobState, 'jobId' | 'version'> & AggregateFields & { _id: string };

const coordinates = new Schema({ lat: Number, lng: Number }, { _id: false });

const offerSchema = new Schema(
  {
    offerId: { type: String, required: true },
    providerId: { type: String, required: true },
    providerKind: { type: String, required: true },
    round: { type: Number, required: true },
    status: { type: String, enum: OFFER_STATUSES, required: true },
    offeredAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    answeredAt: Date,
    declineReason: String,
    note: String,
  },
  { _id: false },
);

const timelineSchema = new Schema(
  {
    at: { type: Date, required: true },
    type: { type: String, required: true },
    status: { type: String, enum: JOB_STATUSES, required: true },
    actorId: String,
    providerId: String,
    note: String,
  },
  { _id: false },
);

export const jobSchema = new Schema<JobDocument>(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: JOB_STATUSES, required: true },
    origin: {
      type: new Schema({ service: String, aggregateId: String }, { _id: false }),
      required: true,
    },
    category: { type: String, required: true },
    skill: { type: String, required: true },
    priority: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    dueBy: Date,
    preferredProviderKinds: { type: [String], default: undefined },
    excludedProviderIds: { type: [String], default: undefined },
    round: { type: Number, required: true, default: 0 },
    offers: { type: [offerSchema], default: [] },
    providerId: String,
    providerKind: String,
    escalated: { type: Boolean, required: true, default: false },
    escalationLevel: { type: Number, required: true, default: 0 },
    timeline: { type: [timelineSchema], default: [] },
    startedAt: Date,
    checkIn: { type: coordinates, default: undefined },
    completedAt: Date,
    outcome: String,
    notes: String,
    workDone: String,
    cancelReason: String,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'jobs', versionKey: false },
);
jobSchema.plugin(aggregatePlugin);
// The data layer's scope (ADR 0028): staff see their jurisdiction's subtree; a provider (or a mediator acting as
// one) the jobs ever offered to it or held by it, wherever they are, so a query that forgets the repository's
// jobScope still cannot show a provider another's job. jobScope narrows further (reads: open offers only); a late
// accept still loads the job it was offered, to answer 409 with the job as it now is.
scopeActorsBy(jobSchema, (actor) => {
  const providerId = actor.providerId;
  if (actor.has(...STAFF_ROLES) || !actor.has('provider', 'mediator') || !providerId) return undefined;
  return {
    condition: { $or: [{ providerId }, { 'offers.providerId': providerId }] },
    covers: (document) => {
      const job = document as Partial<JobDocument>;
      return (
        job.providerId === providerId || (job.offers ?? []).some((offer) => offer.providerId === providerId)
      );
    },
    paths: ['providerId', 'offers'],
  };
});
// Lists by place and status (supervisors, operators), the escalation list, a provider's offered and held jobs,
// the load count (held jobs per provider), and the reconciliation of open offers' timers.
jobSchema.index({ jurisdiction: 1, status: 1, updatedAt: -1 });
jobSchema.index({ escalated: 1, jurisdiction: 1 });
jobSchema.index({ 'offers.providerId': 1, 'offers.status': 1 });
jobSchema.index({ providerId: 1, status: 1 });
jobSchema.index({ 'origin.aggregateId': 1 });

export function toJobState(document: JobDocument): JobState {
  const {
    _id,
    outbox: _outbox,
    outboxLease: _lease,
    ...rest
  } = document as JobDocument & {
    outboxLease?: unknown;
  };
  return { ...(rest as Omit<JobState, 'jobId'>), jobId: _id };
}

/**
 * The stored fields of a state, for `$set` (everything but the id, the version and the outbox). Unset fields are
 * left out: no transition clears one, and `undefined` in a `$set` would be written as null.
 */
export function storedFields(state: JobState): Record<string, unknown> {
  const { jobId: _jobId, version: _version, ...fields } = state;
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
