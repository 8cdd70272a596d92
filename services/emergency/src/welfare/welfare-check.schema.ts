// The welfare check as stored: one per vulnerable resident per incident (`<incidentId>-W-<elderId>`, also its
// dispatch job's id), its job as dispatch reports it, the result recorded, its version and pending events (outbox:
// job.requested, job.cancellation-requested, job.progress-reported) in one document.
import { aggregatePlugin, type AggregateFields } from '@linli/persistence';
import { Schema } from 'mongoose';
import {
  WELFARE_CHECK_STATUSES,
  WELFARE_JOB_STATUSES,
  WELFARE_RESULTS,
  type WelfareCheckStatus,
  type WelfareJobStatus,
  type WelfareResult,
} from './welfare.rules';

export interface WelfareCheckResult {
  result: WelfareResult;
  note?: string;
  at: Date;
  actorId: string;
  /** The provider who recorded it, when it was the one holding the job. */
  providerId?: string;
}

export interface WelfareCheckDocument extends AggregateFields {
  _id: string;
  incidentId: string;
  elderId: string;
  /** The elder's community (12 digits), under the name every scoped query uses. */
  jurisdiction: string;
  status: WelfareCheckStatus;
  jobStatus: WelfareJobStatus;
  /** Version of the job in dispatch of the last job event applied; an older one redelivered changes nothing. */
  jobVersion: number;
  providerId?: string | null;
  result?: WelfareCheckResult | null;
  requestedAt: Date;
  /** When the incident closed and its job was withdrawn (job.cancellation-requested), if it was open then. */
  withdrawnAt?: Date | null;
  updatedAt: Date;
}

const noId = { _id: false } as const;

export const welfareCheckSchema = new Schema<WelfareCheckDocument>(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    elderId: { type: String, required: true },
    jurisdiction: { type: String, required: true },
    status: { type: String, enum: WELFARE_CHECK_STATUSES, required: true },
    jobStatus: { type: String, enum: WELFARE_JOB_STATUSES, required: true },
    jobVersion: { type: Number, required: true, default: 0 },
    providerId: String,
    result: {
      type: new Schema(
        {
          result: { type: String, enum: WELFARE_RESULTS, required: true },
          note: { type: String, personal: true },
          at: { type: Date, required: true },
          actorId: { type: String, required: true },
          providerId: String,
        },
        noId,
      ),
      default: undefined,
    },
    requestedAt: { type: Date, required: true },
    withdrawnAt: Date,
    updatedAt: { type: Date, required: true },
  },
  { collection: 'welfare_checks', versionKey: false },
);
welfareCheckSchema.plugin(aggregatePlugin);
// The board of an incident (by status, in id order) and its closing pass.
welfareCheckSchema.index({ incidentId: 1, status: 1, _id: 1 });
