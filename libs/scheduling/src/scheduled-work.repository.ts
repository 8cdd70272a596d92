// Every query and conditional update of the scheduled_work collection; nothing else touches the model.
import { Connection, Model } from 'mongoose';
import {
  SCHEDULED_WORK_MODEL,
  ScheduledWork,
  ScheduledWorkStatus,
  scheduledWorkSchema,
} from './scheduled-work.schema';
import type { JobPayload } from './scheduling.rules';

const DUPLICATE_KEY = 11000;
/**
 * An exclusion projection on findOneAndUpdate makes mongo-java-server (the local stack) reply with a copy taken
 * under its lock instead of its live document, which a concurrent write could change mid-reply (ADR 0004).
 */
const COPY_UNDER_LOCK = { __none: 0 } as const;
/** lastError is for an operator's eye, not a log store. */
const MAX_STORED_ERROR_LENGTH = 2000;

export interface NewScheduledWork {
  jobId: string;
  queue: string;
  name: string;
  dueAt: Date;
  payload: JobPayload;
}

/** States a worker may have left behind when it finished the effect (see markDone). */
const FINISHABLE: ScheduledWorkStatus[] = ['running', 'pending'];
/** States `reschedule` revives: not running (the effect is in flight) and not done (it happened). */
const RESCHEDULABLE: ScheduledWorkStatus[] = ['pending', 'cancelled', 'failed'];

export class ScheduledWorkRepository {
  readonly model: Model<ScheduledWork>;

  constructor(connection: Connection) {
    this.model =
      (connection.models[SCHEDULED_WORK_MODEL] as Model<ScheduledWork> | undefined) ??
      connection.model<ScheduledWork>(SCHEDULED_WORK_MODEL, scheduledWorkSchema);
  }

  async ensureIndexes(): Promise<void> {
    // The model's own build (mongoose starts it when the model is made, autoIndex on), awaited, never a second
    // one: two builds at once on a collection that does not exist yet make mongo-java-server fail one of them
    // ("already existed in system.namespaces"), which stopped a service at start-up now and then.
    await this.model.init();
    if (this.model.db.config.autoIndex === false) await this.model.createIndexes();
  }

  /** Inserts a pending record, or returns the one that already holds this job id. */
  async insertPending(work: NewScheduledWork): Promise<{ record: ScheduledWork; created: boolean }> {
    try {
      const created = await this.model.create({ ...work, status: 'pending', attempts: 0, revision: 0 });
      return { record: created.toObject(), created: true };
    } catch (error) {
      if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
      const existing = await this.findByJobId(work.jobId);
      // Deleted between the failed insert and this read: a caller race, not a state this lib creates.
      if (!existing) throw error;
      return { record: existing, created: false };
    }
  }

  /**
   * Inserts many pending records in one unordered round trip. A job id that is already held keeps its record as
   * it is (due time, status): returns the records actually created and the job ids that were there already.
   */
  async insertManyPending(
    works: readonly NewScheduledWork[],
    now: Date,
  ): Promise<{ created: ScheduledWork[]; existing: string[] }> {
    if (works.length === 0) return { created: [], existing: [] };
    const records: ScheduledWork[] = works.map((work) => ({
      ...work,
      status: 'pending',
      attempts: 0,
      revision: 0,
      runningSince: null,
      lastError: null,
      doneAt: null,
      createdAt: now,
      updatedAt: now,
    }));
    const refused = new Set<number>();
    try {
      // The driver's insertMany, not the model's: no casting or hooks per record (a week of visits is 10^5).
      await this.model.collection.insertMany(
        records.map((record) => ({ ...record })),
        { ordered: false },
      );
    } catch (error) {
      const writeErrors = writeErrorsOf(error);
      if (!writeErrors) throw error;
      for (const writeError of writeErrors) {
        if (writeError.code !== DUPLICATE_KEY) throw error;
        refused.add(writeError.index);
      }
    }
    const created: ScheduledWork[] = [];
    const existing: string[] = [];
    records.forEach((record, index) =>
      refused.has(index) ? existing.push(record.jobId) : created.push(record),
    );
    return { created, existing };
  }

  /** The records of these job ids (one round trip), by job id. */
  async findByJobIds(jobIds: readonly string[]): Promise<Map<string, ScheduledWork>> {
    const found = new Map<string, ScheduledWork>();
    if (jobIds.length === 0) return found;
    const records = await this.model
      .find({ jobId: { $in: [...jobIds] } })
      .lean<ScheduledWork[]>()
      .exec();
    for (const record of records) found.set(record.jobId, record);
    return found;
  }

  findByJobId(jobId: string): Promise<ScheduledWork | null> {
    return this.model.findOne({ jobId }).lean<ScheduledWork>().exec();
  }

  /** pending -> running, only for the revision the Bull job was added for. Null when someone else has it. */
  claim(jobId: string, revision: number, now: Date): Promise<ScheduledWork | null> {
    return this.model
      .findOneAndUpdate(
        { jobId, revision, status: 'pending' },
        { $set: { status: 'running', runningSince: now }, $inc: { attempts: 1 } },
        { returnDocument: 'after', projection: COPY_UNDER_LOCK },
      )
      .lean<ScheduledWork>()
      .exec();
  }

  /**
   * running -> done. Also from pending: a slow worker whose record was released as abandoned still did the
   * effect, and recording that beats running it again.
   */
  async markDone(jobId: string, revision: number, now: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { jobId, revision, status: { $in: FINISHABLE } },
      { $set: { status: 'done', doneAt: now, runningSince: null, lastError: null } },
    );
    return result.modifiedCount === 1;
  }

  /** running -> pending after a failed attempt Bull will retry. */
  async release(jobId: string, revision: number, error: string): Promise<void> {
    await this.model.updateOne(
      { jobId, revision, status: 'running' },
      { $set: { status: 'pending', runningSince: null, lastError: truncate(error) } },
    );
  }

  /** running -> failed after Bull's last attempt. */
  async markFailed(jobId: string, revision: number, error: string): Promise<void> {
    await this.model.updateOne(
      { jobId, revision, status: 'running' },
      { $set: { status: 'failed', runningSince: null, lastError: truncate(error) } },
    );
  }

  /** pending -> cancelled. False when it was not pending (already ran, running, cancelled, or unknown). */
  async cancel(jobId: string): Promise<boolean> {
    const result = await this.model.updateOne(
      { jobId, status: 'pending' },
      { $set: { status: 'cancelled' }, $inc: { revision: 1 } },
    );
    return result.modifiedCount === 1;
  }

  /** Moves the due time and bumps the revision, reviving cancelled or failed work. Null when not reschedulable. */
  reschedule(jobId: string, dueAt: Date): Promise<ScheduledWork | null> {
    return this.model
      .findOneAndUpdate(
        { jobId, status: { $in: RESCHEDULABLE } },
        { $set: { dueAt, status: 'pending', lastError: null }, $inc: { revision: 1 } },
        { returnDocument: 'after', projection: COPY_UNDER_LOCK },
      )
      .lean<ScheduledWork>()
      .exec();
  }

  /** Pending records in job-id order, for reconciliation to page through. */
  pendingAfter(
    queues: readonly string[],
    afterJobId: string | null,
    limit: number,
  ): Promise<ScheduledWork[]> {
    const filter: Record<string, unknown> = { status: 'pending', queue: { $in: queues } };
    if (afterJobId !== null) filter.jobId = { $gt: afterJobId };
    return this.model.find(filter).sort({ jobId: 1 }).limit(limit).lean<ScheduledWork[]>().exec();
  }

  runningSince(queues: readonly string[], before: Date, limit: number): Promise<ScheduledWork[]> {
    return this.model
      .find({ status: 'running', queue: { $in: queues }, runningSince: { $lt: before } })
      .limit(limit)
      .lean<ScheduledWork[]>()
      .exec();
  }

  /** running -> pending for a record whose worker is gone; conditional on the claim it had, so a fresh claim is kept. */
  async releaseAbandoned(record: ScheduledWork): Promise<boolean> {
    const result = await this.model.updateOne(
      {
        jobId: record.jobId,
        revision: record.revision,
        status: 'running',
        runningSince: record.runningSince,
      },
      { $set: { status: 'pending', runningSince: null, lastError: 'abandoned while running' } },
    );
    return result.modifiedCount === 1;
  }

  /** Records whose queue or job name this service no longer declares: stranded by a rename. */
  countStranded(declared: readonly { queue: string; name: string }[]): Promise<number> {
    return this.model
      .countDocuments({
        status: { $in: ['pending', 'running'] },
        $nor: declared.map(({ queue, name }) => ({ queue, name })),
      })
      .exec();
  }
}

/** The failed inserts of an unordered insertMany (the driver's and mongo-java-server's shapes both). */
function writeErrorsOf(error: unknown): { index: number; code: number }[] | undefined {
  const raw = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : undefined;
  return list?.map(
    (writeError: { index?: number; code?: number; err?: { index?: number; code?: number } }) => ({
      index: writeError.index ?? writeError.err?.index ?? -1,
      code: writeError.code ?? writeError.err?.code ?? 0,
    }),
  );
}

function truncate(text: string): string {
  return text.length > MAX_STORED_ERROR_LENGTH ? text.slice(0, MAX_STORED_ERROR_LENGTH) : text;
}
