// The visit aggregate as stored: one door-to-door visit from its planning to its check-out (or miss), with its
// version and pending events (outbox) in one document. Its id is deterministic (see visitIdOf), so generating the
// same visit twice yields one document.
import { CARE_SERVICES, PROVIDER_KINDS, VISIT_OBSERVATIONS, VISIT_SOURCES } from '@linli/contracts';
import { aggregatePlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';

export const VISIT_MODEL = 'Visit';

/**
 * scheduled: planned, not yet handed to dispatch; dispatched: job.requested sent, nobody holds it yet; assigned: a
 * caregiver accepted the job; checked-in: the caregiver is at the elder's home; completed: checked out;
 * missed: no check-in in time, for good (a miss with dispatches left goes back to dispatched); cancelled: no
 * longer wanted (plan changed, elder left).
 */
export const VISIT_STATUSES = [
  'scheduled',
  'dispatched',
  'assigned',
  'checked-in',
  'completed',
  'missed',
  'cancelled',
] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
/** Statuses a plan change may still cancel: nobody is at the door yet. */
export const OPEN_VISIT_STATUSES: readonly VisitStatus[] = ['scheduled', 'dispatched', 'assigned'];

/** Visit sources, as the contracts name them. */
export const VISIT_DOCUMENT_SOURCES = VISIT_SOURCES;
export type VisitSource = (typeof VISIT_DOCUMENT_SOURCES)[number];

export interface VisitFinding {
  findingId: string;
  observation: 'concern' | 'urgent';
  category: string;
  summary: string;
}

export interface VisitDocument extends AggregateFields {
  /** `V<elderId>-<service, or the source for discover/follow-up/manual>-<yyyyMMddHHmm local>`. */
  _id: string;
  elderId: string;
  /** The elder's community code (12 digits): the jurisdiction and the dispatch area. */
  jurisdiction: string;
  source: VisitSource;
  carePlanId?: string | null;
  carePlanVersion?: number | null;
  itemId?: string | null;
  service: (typeof CARE_SERVICES)[number];
  dueAt: Date;
  /** dueAt + grace for the first dispatch; the miss time + the redispatch window after a miss. */
  missedAfter: Date;
  status: VisitStatus;
  /** Dispatches so far (0 until the first); the current job is `<visitId>-J<attempt>`. */
  attempt: number;
  jobId?: string | null;
  /** When the current attempt was handed to dispatch: a check-in cannot be earlier. */
  dispatchedAt?: Date | null;
  provider?: { providerId: string; providerKind: (typeof PROVIDER_KINDS)[number]; acceptedAt: Date } | null;
  /** Nobody took the current job (dispatch escalated it): a supervisor must find someone. */
  unassigned: boolean;
  checkIn?: {
    at: Date;
    coordinates?: { lat: number; lng: number } | null;
    distanceM?: number | null;
    farFromHome: boolean;
  } | null;
  checkOut?: {
    at: Date;
    itemsDone: string[];
    observation: (typeof VISIT_OBSERVATIONS)[number];
    notes?: string | null;
  } | null;
  findings: VisitFinding[];
  /** `counted`: the elder's missedInARow was increased for it (the miss's second step; see VisitTimeline). */
  misses: { attempt: number; at: Date; providerId?: string | null; counted?: boolean }[];
  cancelReason?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const point = () => new Schema({ lat: Number, lng: Number }, { _id: false });

export const visitSchema = new Schema<VisitDocument>(
  {
    _id: { type: String, required: true },
    elderId: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    source: { type: String, enum: VISIT_DOCUMENT_SOURCES, required: true },
    carePlanId: { type: String, default: null },
    carePlanVersion: { type: Number, default: null },
    itemId: { type: String, default: null },
    service: { type: String, enum: CARE_SERVICES, required: true },
    dueAt: { type: Date, required: true },
    missedAfter: { type: Date, required: true },
    status: { type: String, enum: VISIT_STATUSES, required: true },
    attempt: { type: Number, required: true, default: 0 },
    jobId: { type: String, default: null },
    dispatchedAt: { type: Date, default: null },
    provider: {
      type: new Schema({ providerId: String, providerKind: String, acceptedAt: Date }, { _id: false }),
      default: null,
    },
    unassigned: { type: Boolean, required: true, default: false },
    checkIn: {
      type: new Schema(
        { at: Date, coordinates: { type: point(), default: null }, distanceM: Number, farFromHome: Boolean },
        { _id: false },
      ),
      default: null,
    },
    checkOut: {
      type: new Schema({ at: Date, itemsDone: [String], observation: String, notes: String }, { _id: false }),
      default: null,
    },
    findings: {
      type: [
        new Schema(
          { findingId: String, observation: String, category: String, summary: String },
          { _id: false },
        ),
      ],
      default: [],
    },
    misses: {
      type: [new Schema({ attempt: Number, at: Date, providerId: String, counted: Boolean }, { _id: false })],
      default: [],
    },
    cancelReason: { type: String, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'visits', versionKey: false },
);
visitSchema.plugin(aggregatePlugin);
// An elder's schedule, a community's worklist, and the plan-change replacement (future open visits of an elder).
visitSchema.index({ elderId: 1, dueAt: 1 });
visitSchema.index({ jurisdiction: 1, dueAt: 1 });
visitSchema.index({ status: 1, dueAt: 1 });
