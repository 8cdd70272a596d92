// The MongoDB record of every scheduled thing: the source of truth that Bull's Redis copy is reconciled against.
import { Schema } from 'mongoose';
import type { JobPayload } from './scheduling.rules';

export const SCHEDULED_WORK_COLLECTION = 'scheduled_work';
export const SCHEDULED_WORK_MODEL = 'ScheduledWork';

/**
 * pending: waiting for its due time (Bull should hold a job for it); running: claimed by a worker;
 * done: its effect is stored; cancelled: no longer wanted; failed: Bull's bounded retries are exhausted
 * (kept apart from pending so reconciliation does not retry it forever; `reschedule` revives it).
 */
export type ScheduledWorkStatus = 'pending' | 'running' | 'done' | 'cancelled' | 'failed';

export const SCHEDULED_WORK_STATUSES: readonly ScheduledWorkStatus[] = [
  'pending',
  'running',
  'done',
  'cancelled',
  'failed',
];

export interface ScheduledWork {
  /** Deterministic, from the domain (`callback:<ticketId>:<attempt>`); also the Bull job id. */
  jobId: string;
  queue: string;
  name: string;
  dueAt: Date;
  /** Ids only (see assertIdsOnlyPayload). */
  payload: JobPayload;
  status: ScheduledWorkStatus;
  /** Times a worker claimed it (Bull retries and re-deliveries included). */
  attempts: number;
  /**
   * Bumped by every reschedule; the Bull job carries the revision it was added for, so a job left over from
   * before a reschedule cannot claim the record.
   */
  revision: number;
  runningSince: Date | null;
  lastError: string | null;
  doneAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const scheduledWorkSchema = new Schema<ScheduledWork>(
  {
    jobId: { type: String, required: true },
    queue: { type: String, required: true },
    name: { type: String, required: true },
    dueAt: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true, enum: SCHEDULED_WORK_STATUSES },
    attempts: { type: Number, required: true, default: 0 },
    revision: { type: Number, required: true, default: 0 },
    runningSince: { type: Date, default: null },
    lastError: { type: String, default: null },
    doneAt: { type: Date, default: null },
  },
  { collection: SCHEDULED_WORK_COLLECTION, timestamps: true, versionKey: false, minimize: false },
);

// One record per job id: this index is what makes scheduling the same thing twice yield one job.
scheduledWorkSchema.index({ jobId: 1 }, { unique: true });
// Reconciliation scans pending records, and running ones by age.
scheduledWorkSchema.index({ status: 1, dueAt: 1 });
scheduledWorkSchema.index({ status: 1, runningSince: 1 });
