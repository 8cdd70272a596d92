// The use cases a service calls: schedule, cancel, reschedule and look up scheduled work.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ScheduledJobDefinition, describeJob } from './scheduled-job';
import { ScheduledWorkRepository } from './scheduled-work.repository';
import { ScheduledWork, ScheduledWorkStatus } from './scheduled-work.schema';
import { SchedulingQueues } from './scheduling.queues';
import { SCHEDULING_OPTIONS, ResolvedSchedulingOptions } from './scheduling.options';
import { ScheduledWorkNotFoundError, ScheduledWorkStateError, UndeclaredJobError } from './scheduling.errors';
import {
  JobPayload,
  JobPayloadValue,
  assertDueTime,
  assertIdsOnlyPayload,
  buildJobId,
} from './scheduling.rules';

export interface ScheduleRequest<P extends JobPayload> {
  /** The domain facts that identify this one thing, e.g. `[ticketId, attempt]` -> `callback:<ticketId>:<attempt>`. */
  key: readonly JobPayloadValue[];
  dueAt: Date;
  /** Ids only: Bull stores it in clear text in Redis. */
  payload: P;
}

export interface ScheduleResult {
  jobId: string;
  /** False when this job id was already scheduled: the existing record is kept as it is (due time included). */
  created: boolean;
  status: ScheduledWorkStatus;
  /** False when Redis could not take the job now; the record is stored and reconciliation will add it. */
  queued: boolean;
}

export interface ScheduleManyResult {
  /** Job ids whose records this call created (their Bull jobs were added in one batch). */
  created: string[];
  /**
   * Job ids scheduled already (their records are kept as they are, no Bull job is added for them), and keys given
   * twice in the call.
   */
  existing: string[];
  /** False when Redis could not take the created jobs now; the records are stored and reconciliation adds them. */
  queued: boolean;
}

@Injectable()
export class Scheduler {
  private readonly logger = new Logger(Scheduler.name);

  constructor(
    @Inject(SCHEDULING_OPTIONS) private readonly options: ResolvedSchedulingOptions,
    private readonly repository: ScheduledWorkRepository,
    private readonly queues: SchedulingQueues,
  ) {}

  jobIdOf(definition: ScheduledJobDefinition, key: readonly JobPayloadValue[]): string {
    return buildJobId(definition.name, key, { maxLength: this.options.maxJobIdLength });
  }

  /**
   * Stores the work in MongoDB first, then adds the Bull job. Scheduling the same key twice yields one record
   * and one job. A Redis failure after the MongoDB write is not an error: the work is safe and reconciliation
   * adds the job later.
   */
  async schedule<P extends JobPayload>(
    definition: ScheduledJobDefinition<P>,
    request: ScheduleRequest<P>,
  ): Promise<ScheduleResult> {
    this.assertDeclared(definition);
    assertDueTime(request.dueAt);
    assertIdsOnlyPayload(request.payload, {
      maxKeys: this.options.maxPayloadKeys,
      maxValueLength: this.options.maxPayloadValueLength,
    });
    const jobId = this.jobIdOf(definition, request.key);
    const { record, created } = await this.repository.insertPending({
      jobId,
      queue: definition.queue,
      name: definition.name,
      dueAt: request.dueAt,
      payload: request.payload,
    });
    if (!created && (record.queue !== definition.queue || record.name !== definition.name)) {
      // Only possible when one job id is reused across definitions, which buildJobId's name prefix prevents.
      throw new ScheduledWorkStateError(jobId, `scheduled as ${describeJob(record)}`, 'schedule');
    }
    const queued = record.status === 'pending' ? await this.tryEnqueue(record) : false;
    return { jobId, created, status: record.status, queued };
  }

  /**
   * `schedule` for many keys of one definition at once: one unordered insert of the records (a key repeated in the
   * call, or scheduled before, keeps the first record as it is), then one Bull `addBulk` of the records created.
   * For generating a horizon of work (a week of visits) without one round trip per item. Validation happens for
   * every request before anything is written.
   */
  async scheduleMany<P extends JobPayload>(
    definition: ScheduledJobDefinition<P>,
    requests: readonly ScheduleRequest<P>[],
  ): Promise<ScheduleManyResult> {
    this.assertDeclared(definition);
    const works = new Map<string, { jobId: string; queue: string; name: string; dueAt: Date; payload: P }>();
    const repeated: string[] = [];
    for (const request of requests) {
      assertDueTime(request.dueAt);
      assertIdsOnlyPayload(request.payload, {
        maxKeys: this.options.maxPayloadKeys,
        maxValueLength: this.options.maxPayloadValueLength,
      });
      const jobId = this.jobIdOf(definition, request.key);
      if (works.has(jobId)) {
        repeated.push(jobId);
        continue;
      }
      works.set(jobId, {
        jobId,
        queue: definition.queue,
        name: definition.name,
        dueAt: request.dueAt,
        payload: request.payload,
      });
    }
    const { created, existing } = await this.repository.insertManyPending([...works.values()], new Date());
    let queued = true;
    if (created.length > 0) {
      try {
        await this.queues.enqueueMany(definition.queue, created, new Date());
      } catch (error) {
        queued = false;
        this.logger.warn({
          msg: 'jobs stored but not queued; reconciliation will add them',
          queue: definition.queue,
          count: created.length,
          error: (error as Error).message,
        });
      }
    }
    return { created: created.map((record) => record.jobId), existing: [...existing, ...repeated], queued };
  }

  /** Cancels pending work. False when there was nothing pending to cancel (already ran, running, or unknown). */
  async cancel(definition: ScheduledJobDefinition, key: readonly JobPayloadValue[]): Promise<boolean> {
    this.assertDeclared(definition);
    const jobId = this.jobIdOf(definition, key);
    const cancelled = await this.repository.cancel(jobId);
    if (cancelled) await this.tryRemove(definition.queue, jobId);
    return cancelled;
  }

  /**
   * Moves the due time of pending, cancelled or failed work (which makes it pending again). Work that is running
   * or done cannot be moved: schedule a new key (e.g. the next attempt) instead.
   */
  async reschedule(
    definition: ScheduledJobDefinition,
    key: readonly JobPayloadValue[],
    dueAt: Date,
  ): Promise<ScheduledWork> {
    this.assertDeclared(definition);
    assertDueTime(dueAt);
    const jobId = this.jobIdOf(definition, key);
    const record = await this.repository.reschedule(jobId, dueAt);
    if (!record) {
      const existing = await this.repository.findByJobId(jobId);
      if (!existing) throw new ScheduledWorkNotFoundError(jobId);
      throw new ScheduledWorkStateError(jobId, existing.status, 'reschedule');
    }
    // The old job carries the old revision and could no longer claim the record; replace it so the new due time
    // holds. If a worker holds the old one right now, reconciliation adds the new one once it is gone.
    if (await this.tryRemove(definition.queue, jobId)) await this.tryEnqueue(record);
    return record;
  }

  find(definition: ScheduledJobDefinition, key: readonly JobPayloadValue[]): Promise<ScheduledWork | null> {
    return this.repository.findByJobId(this.jobIdOf(definition, key));
  }

  private assertDeclared(definition: ScheduledJobDefinition): void {
    const declared = this.options.jobs.some(
      (job) => job.queue === definition.queue && job.name === definition.name,
    );
    if (!declared) {
      throw new UndeclaredJobError(`Job ${describeJob(definition)} is not in the scheduling module's jobs`);
    }
  }

  private async tryEnqueue(record: ScheduledWork): Promise<boolean> {
    try {
      await this.queues.enqueue(record, new Date());
      return true;
    } catch (error) {
      this.logger.warn({
        msg: 'job stored but not queued; reconciliation will add it',
        jobId: record.jobId,
        error: (error as Error).message,
      });
      return false;
    }
  }

  private async tryRemove(queue: string, jobId: string): Promise<boolean> {
    try {
      return await this.queues.removeUnlessActive(queue, jobId);
    } catch (error) {
      // The record already says cancelled / new revision, so a leftover job is a no-op when it runs.
      this.logger.warn({ msg: 'could not remove bull job', jobId, error: (error as Error).message });
      return false;
    }
  }
}
