// The fact collections (indicators/facts.ts gives their records): one mongoose model per kind of thing counted,
// keyed by the thing's id. Beside the record, a versioned fact keeps `appliedEventIds` (the events applied at its
// current aggregate version) and `revision` (a counter for the conditional replace), both stripped on read.
import { Schema } from 'mongoose';

export const TICKET_FACT_MODEL = 'InsightsTicketFact';
export const FEEDBACK_FACT_MODEL = 'InsightsFeedbackFact';
export const JOB_FACT_MODEL = 'InsightsJobFact';
export const ELDER_FACT_MODEL = 'InsightsElderFact';
export const VISIT_FACT_MODEL = 'InsightsVisitFact';
export const CASE_FACT_MODEL = 'InsightsCaseFact';
export const ALERT_FACT_MODEL = 'InsightsAlertFact';
export const ALERT_RECIPIENT_FACT_MODEL = 'InsightsAlertRecipientFact';

/** The bookkeeping paths of a stored fact, never part of the record the arithmetic reads. */
export const BOOKKEEPING_PATHS = ['_id', 'appliedEventIds', 'revision'] as const;

const options = { versionKey: false, strict: true } as const;

const versioned = {
  _id: String,
  version: { type: Number, required: true },
  appliedEventIds: { type: [String], default: [] },
  revision: { type: Number, required: true, default: 0 },
  jurisdiction: { type: String, required: true },
};

export const TicketFactSchema = new Schema(
  {
    ...versioned,
    ticketId: { type: String, required: true },
    createdAt: { type: Date, required: true },
    category: { type: String, required: true },
    resolveDueAt: Date,
    routedTo: String,
    jobId: String,
    firstResolvedAt: Date,
    cancelledAt: Date,
    closedAt: Date,
  },
  { ...options, collection: 'ticketfacts' },
);

export const FeedbackFactSchema = new Schema(
  {
    _id: String,
    eventId: { type: String, required: true },
    ticketId: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    recordedAt: { type: Date, required: true },
    satisfaction: { type: Number, required: true },
  },
  { ...options, collection: 'feedbackfacts' },
);

export const JobFactSchema = new Schema(
  {
    ...versioned,
    jobId: { type: String, required: true },
    originService: String,
    requestedAt: Date,
    firstOfferedAt: Date,
    acceptedAt: Date,
    providerId: String,
    providerKind: String,
    startedAt: Date,
    completedAt: Date,
    outcome: String,
    cancelledAt: Date,
  },
  { ...options, collection: 'jobfacts' },
);

export const ElderFactSchema = new Schema(
  {
    ...versioned,
    elderId: { type: String, required: true },
    livingSituation: { type: String, required: true },
    hardship: { type: [String], default: [] },
    activeSpans: {
      type: [new Schema({ from: { type: Date, required: true }, to: Date }, { _id: false })],
      default: [],
    },
  },
  { ...options, collection: 'elderfacts' },
);

export const VisitFactSchema = new Schema(
  {
    ...versioned,
    visitId: { type: String, required: true },
    elderId: { type: String, required: true },
    source: { type: String, required: true },
    service: { type: String, required: true },
    dueAt: { type: Date, required: true },
    completedAt: Date,
    itemsDone: { type: [String], default: undefined },
    providerKind: String,
    missedAt: Date,
    cancelledAt: Date,
  },
  { ...options, collection: 'visitfacts' },
);

export const CaseFactSchema = new Schema(
  {
    ...versioned,
    caseId: { type: String, required: true },
    openedAt: { type: Date, required: true },
    timeLimitAt: { type: Date, required: true },
    outcome: String,
    outcomeAt: Date,
    withinTimeLimit: Boolean,
    withdrawnAt: Date,
  },
  { ...options, collection: 'casefacts' },
);

export const AlertFactSchema = new Schema(
  {
    _id: String,
    alertId: { type: String, required: true },
    incidentId: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    areas: { type: [String], default: [] },
  },
  { ...options, collection: 'alertfacts' },
);

export const AlertRecipientFactSchema = new Schema(
  {
    _id: String,
    alertId: { type: String, required: true },
    recipientId: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    deliveredAt: Date,
    acknowledgedAt: Date,
    alertIssuedAt: Date,
    response: String,
  },
  { ...options, collection: 'alertrecipientfacts' },
);

// The reads' indexes: the node (a jurisdiction prefix) and each time a bounded read selects on (the conditions of
// FactsRepository.factsUnder, one index per branch of its $or).
TicketFactSchema.index({ jurisdiction: 1, firstResolvedAt: 1 });
TicketFactSchema.index({ jurisdiction: 1, resolveDueAt: 1 });
FeedbackFactSchema.index({ jurisdiction: 1, recordedAt: 1 });
JobFactSchema.index({ jurisdiction: 1, acceptedAt: 1 });
JobFactSchema.index({ jurisdiction: 1, completedAt: 1 });
ElderFactSchema.index({ jurisdiction: 1, 'activeSpans.from': 1 });
VisitFactSchema.index({ jurisdiction: 1, completedAt: 1 });
CaseFactSchema.index({ jurisdiction: 1, outcomeAt: 1 });
CaseFactSchema.index({ jurisdiction: 1, timeLimitAt: 1 });
AlertFactSchema.index({ jurisdiction: 1, issuedAt: 1 });
AlertRecipientFactSchema.index({ alertId: 1 });
AlertRecipientFactSchema.index({ jurisdiction: 1, alertIssuedAt: 1 });
AlertRecipientFactSchema.index({ jurisdiction: 1, deliveredAt: 1 });

/** The id of an alert recipient's fact: one per (alert, recipient). */
export function alertRecipientKey(alertId: string, recipientId: string): string {
  return `${alertId}:${recipientId}`;
}

export const FACT_MODELS = [
  { name: TICKET_FACT_MODEL, schema: TicketFactSchema },
  { name: FEEDBACK_FACT_MODEL, schema: FeedbackFactSchema },
  { name: JOB_FACT_MODEL, schema: JobFactSchema },
  { name: ELDER_FACT_MODEL, schema: ElderFactSchema },
  { name: VISIT_FACT_MODEL, schema: VisitFactSchema },
  { name: CASE_FACT_MODEL, schema: CaseFactSchema },
  { name: ALERT_FACT_MODEL, schema: AlertFactSchema },
  { name: ALERT_RECIPIENT_FACT_MODEL, schema: AlertRecipientFactSchema },
];
