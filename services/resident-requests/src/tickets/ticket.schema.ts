// The ticket aggregate as stored: its state, timeline, version and pending events (outbox) in one document, so
// every state change and the events it causes are one write. Personal data is marked (issue 7 encrypts it).
import { aggregatePlugin, idempotencyPlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import { CALLBACK_STATUSES, TICKET_STATUSES, type TicketState } from './ticket.rules';

export const TICKET_MODEL = 'Ticket';
export const TICKET_SEQUENCE_MODEL = 'TicketSequence';

export type TicketDocument = Omit<TicketState, 'ticketId' | 'version'> & AggregateFields & { _id: string };

const timelineSchema = new Schema(
  {
    at: { type: Date, required: true },
    from: String,
    to: { type: String, enum: TICKET_STATUSES, required: true },
    actorId: String,
    role: String,
    reason: String,
    note: String,
    eventId: String,
  },
  { _id: false },
);

const breachSchema = new Schema({ kind: String, dueAt: Date, at: Date, revision: Number }, { _id: false });

export const ticketSchema = new Schema<TicketDocument>(
  {
    _id: { type: String, required: true },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    channel: { type: String, required: true },
    category: { type: String, required: true },
    serviceClass: { type: String, required: true },
    reporter: {
      type: new Schema(
        {
          name: { type: String, personal: true },
          phone: { type: String, personal: true },
          // A keyed hash, not the phone: it stays when the phone is encrypted, so duplicates are still found.
          phoneHash: String,
          vulnerable: { type: [String], default: [] },
        },
        { _id: false },
      ),
      required: true,
    },
    place: {
      type: new Schema(
        {
          communityCode: { type: String, required: true },
          address: { type: String, required: true, personal: true },
          location: { type: new Schema({ lat: Number, lng: Number }, { _id: false }), default: undefined },
        },
        { _id: false },
      ),
      required: true,
    },
    // What the resident said may name people and places: personal until shown otherwise.
    description: { type: String, required: true, personal: true },
    jurisdiction: { type: String, required: true },
    priority: {
      type: new Schema({ level: String, source: String, reason: String }, { _id: false }),
      required: true,
    },
    likelyDuplicateOf: String,
    sourceVisitId: String,
    routedTo: String,
    jobId: String,
    jobCount: { type: Number, required: true, default: 0 },
    assignment: {
      type: new Schema({ providerId: String, providerKind: String, acceptedAt: Date }, { _id: false }),
      default: undefined,
    },
    jobEscalated: { type: Boolean, required: true, default: false },
    serviceLevel: {
      type: new Schema(
        {
          startedAt: Date,
          acceptDueAt: Date,
          resolveDueAt: Date,
          revision: Number,
          breached: Boolean,
          breaches: { type: [breachSchema], default: [] },
        },
        { _id: false },
      ),
      required: true,
    },
    callback: {
      type: new Schema(
        { dueAt: Date, attempts: Number, status: { type: String, enum: CALLBACK_STATUSES }, round: Number },
        { _id: false },
      ),
      default: undefined,
    },
    satisfaction: {
      type: new Schema({ score: Number, comment: String, at: Date }, { _id: false }),
      default: undefined,
    },
    resolution: String,
    resolvedAt: Date,
    closedAt: Date,
    closeReason: String,
    cancelReason: String,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    timeline: { type: [timelineSchema], default: [] },
  },
  { collection: 'tickets', versionKey: false },
);
ticketSchema.plugin(aggregatePlugin);
// The Idempotency-Key of POST /tickets and Open311's POST /requests, stored with the ticket it created.
ticketSchema.plugin(idempotencyPlugin);
// Lists by place and recency; the consumers' lookup by the current job; the duplicate lookup; the call-back
// worklist.
ticketSchema.index({ jurisdiction: 1, createdAt: -1 });
ticketSchema.index({ jobId: 1 }, { sparse: true });
ticketSchema.index({ 'reporter.phoneHash': 1, category: 1, createdAt: -1 });
ticketSchema.index({ 'callback.status': 1, 'callback.dueAt': 1 });

/** The daily sequence behind readable ticket ids: one document per day in China. */
export const ticketSequenceSchema = new Schema<{ _id: string; sequence: number }>(
  { _id: { type: String, required: true }, sequence: { type: Number, required: true } },
  { collection: 'ticket_sequences', versionKey: false },
);

/** Optional fields of the state: stored as null when absent, since a change can only `$set`. */
const OPTIONAL_FIELDS = [
  'likelyDuplicateOf',
  'sourceVisitId',
  'routedTo',
  'jobId',
  'assignment',
  'callback',
  'satisfaction',
  'resolution',
  'resolvedAt',
  'closedAt',
  'closeReason',
  'cancelReason',
] as const;

export function toTicketState(document: TicketDocument): TicketState {
  const {
    _id,
    outbox: _outbox,
    outboxLease: _lease,
    ...rest
  } = document as TicketDocument & {
    outboxLease?: unknown;
  };
  const state = { ...(rest as Omit<TicketState, 'ticketId'>), ticketId: _id } as TicketState;
  const record = state as unknown as Record<string, unknown>;
  for (const field of OPTIONAL_FIELDS) if (record[field] === null) delete record[field];
  if (state.place.location === null) delete state.place.location;
  state.timeline = state.timeline.map((entry) => {
    const clean = { ...entry } as Record<string, unknown>;
    for (const [key, value] of Object.entries(clean))
      if (value === null || value === undefined) delete clean[key];
    return clean as unknown as (typeof state.timeline)[number];
  });
  return state;
}

/**
 * The stored fields of a state, for `$set` (everything but the id, the version and the outbox); an optional field
 * that is absent is written as null, so a reopening really clears the previous assignment.
 */
export function storedFields(state: TicketState): Record<string, unknown> {
  const { ticketId: _ticketId, version: _version, ...fields } = state;
  const stored: Record<string, unknown> = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  );
  for (const field of OPTIONAL_FIELDS) if (stored[field] === undefined) stored[field] = null;
  return stored;
}

/** The new document of a state (insert): absent optional fields are simply left out. */
export function newDocument(state: TicketState): Omit<TicketDocument, keyof AggregateFields> {
  const { ticketId, version: _version, ...fields } = state;
  return {
    _id: ticketId,
    ...(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Omit<
      TicketState,
      'ticketId' | 'version'
    >),
  };
}
