// The case aggregate as stored: its state, sessions, outcome, follow-ups, timeline, version and pending events
// (outbox) in one document, so every state change and the events it causes are one write. Personal data is
// marked (issue 7 encrypts it): parties' names, phones and identity numbers, the description, minutes and the
// agreement's text.
import { aggregatePlugin, idempotencyPlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import { CASE_STATUSES, FOLLOW_UP_STATUSES, SESSION_STATUSES, type CaseState } from './case.rules';

export const CASE_MODEL = 'MediationCase';
export const CASE_SEQUENCE_MODEL = 'MediationCaseSequence';

export type CaseDocument = Omit<CaseState, 'caseId' | 'version'> &
  AggregateFields & { _id: string; jurisdiction: string; updatedAt: Date };

const noId = { _id: false } as const;

const partySchema = new Schema(
  {
    partyId: { type: String, required: true },
    role: { type: String, required: true },
    name: { type: String, required: true, personal: true },
    phone: { type: String, personal: true },
    identityNumber: { type: String, personal: true },
    phoneHash: String,
    identityHash: String,
  },
  noId,
);

const sessionSchema = new Schema(
  {
    sessionId: { type: String, required: true },
    scheduledFor: { type: Date, required: true },
    place: { type: String, required: true },
    status: { type: String, enum: SESSION_STATUSES, required: true },
    rescheduled: { type: Number, default: 0 },
    attendance: { type: [new Schema({ partyId: String, present: Boolean }, noId)], default: undefined },
    minutes: { type: String, personal: true },
    heldAt: Date,
    reminders: {
      type: [
        new Schema(
          { leadMs: Number, leadMinutes: Number, dueAt: Date, round: Number, status: String, sentAt: Date },
          noId,
        ),
      ],
      default: [],
    },
    /** The Idempotency-Key it was scheduled under: unique within its case, checked on the read before the write. */
    idempotency: { type: { key: String, request: String }, _id: false, default: undefined },
  },
  noId,
);

const termSchema = new Schema(
  { termId: String, text: { type: String, personal: true }, dueDate: String },
  noId,
);

const outcomeSchema = new Schema(
  {
    kind: { type: String, required: true },
    reason: { type: String, required: true, personal: true },
    at: { type: Date, required: true },
    actorId: { type: String, required: true },
    withinTimeLimit: { type: Boolean, required: true },
    agreement: {
      type: new Schema(
        { text: { type: String, personal: true }, terms: [termSchema], followUpPlan: String },
        noId,
      ),
      default: undefined,
    },
    referredTo: String,
  },
  noId,
);

const followUpSchema = new Schema(
  {
    followUpId: { type: String, required: true },
    dueAt: { type: Date, required: true },
    termIds: [String],
    status: { type: String, enum: FOLLOW_UP_STATUSES, required: true },
    result: {
      type: new Schema(
        {
          terms: [
            new Schema({ termId: String, kept: Boolean, note: { type: String, personal: true } }, noId),
          ],
          decision: String,
          note: { type: String, personal: true },
          at: Date,
          actorId: String,
        },
        noId,
      ),
      default: undefined,
    },
  },
  noId,
);

export const caseSchema = new Schema<CaseDocument>(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: CASE_STATUSES, required: true },
    caseType: { type: String, required: true },
    riskLevel: { type: String, required: true },
    source: { type: String, required: true },
    ticketId: String,
    communityCode: { type: String, required: true },
    /** The community code again, under the name every scoped query uses. */
    jurisdiction: { type: String, required: true },
    description: { type: String, required: true, personal: true },
    parties: { type: [partySchema], default: [] },
    openedAt: { type: Date, required: true },
    openedBy: String,
    timeLimitAt: { type: Date, required: true },
    extension: {
      type: new Schema({ at: Date, actorId: String, reason: String, previousTimeLimitAt: Date }, noId),
      default: undefined,
    },
    mediator: {
      type: new Schema(
        { mediatorId: String, via: String, jobId: String, providerKind: String, at: Date, actorId: String },
        noId,
      ),
      default: undefined,
    },
    request: {
      type: new Schema(
        { jobId: String, attempt: Number, status: String, excluded: [String], at: Date },
        noId,
      ),
      default: undefined,
    },
    released: {
      type: [new Schema({ mediatorId: String, reason: String, at: Date, actorId: String }, noId)],
      default: [],
    },
    sessions: { type: [sessionSchema], default: [] },
    outcome: { type: outcomeSchema, default: undefined },
    previousOutcomes: { type: [outcomeSchema], default: [] },
    followUps: { type: [followUpSchema], default: [] },
    escalations: {
      type: [
        new Schema(
          {
            reason: String,
            escalatedTo: String,
            level: Number,
            at: Date,
            actorId: String,
            note: String,
            timeLimitAt: Date,
          },
          noId,
        ),
      ],
      default: [],
    },
    closed: { type: new Schema({ reason: String, at: Date, actorId: String }, noId), default: undefined },
    timeline: {
      type: [new Schema({ at: Date, what: String, actorId: String, note: String }, noId)],
      default: [],
    },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'cases', versionKey: false },
);
caseSchema.plugin(aggregatePlugin);
// The Idempotency-Key of POST /cases, stored with the case it opened.
caseSchema.plugin(idempotencyPlugin);
caseSchema.index({ jurisdiction: 1, openedAt: -1 });

/** The daily sequence behind readable case ids (C20261129-000123): one document per day in China. */
export const caseSequenceSchema = new Schema<{ _id: string; sequence: number }>(
  { _id: { type: String, required: true }, sequence: { type: Number, required: true } },
  { collection: 'case_sequences', versionKey: false },
);

/** Optional fields of the state: stored as null when absent, since a change can only `$set`. */
const OPTIONAL_FIELDS = [
  'ticketId',
  'openedBy',
  'extension',
  'mediator',
  'request',
  'outcome',
  'closed',
] as const;

export function toCaseState(document: CaseDocument): CaseState {
  const {
    _id,
    outbox: _outbox,
    outboxLease: _lease,
    jurisdiction: _jurisdiction,
    updatedAt: _updatedAt,
    ...rest
  } = document as CaseDocument & { outboxLease?: unknown };
  const state = { ...(rest as unknown as Omit<CaseState, 'caseId'>), caseId: _id } as CaseState;
  const record = state as unknown as Record<string, unknown>;
  for (const field of OPTIONAL_FIELDS) if (record[field] === null) delete record[field];
  return state;
}

/** The fields a change writes: everything of the state but its id and version (those are the library's). */
export function storedFields(state: CaseState, now: Date): Record<string, unknown> {
  const { caseId: _id, version: _version, ...rest } = state;
  const fields: Record<string, unknown> = { ...rest, jurisdiction: state.communityCode, updatedAt: now };
  for (const field of OPTIONAL_FIELDS) if (fields[field] === undefined) fields[field] = null;
  return fields;
}

export function newDocument(state: CaseState, now: Date): Omit<CaseDocument, keyof AggregateFields> {
  const { caseId, version: _version, ...rest } = state;
  return { ...rest, _id: caseId, jurisdiction: state.communityCode, updatedAt: now };
}
