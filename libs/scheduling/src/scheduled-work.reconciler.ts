// Makes Redis agree with MongoDB: every pending record has a live Bull job for its revision, no delayed job is
// stranded past its due time, and work abandoned in "running" by a dead worker becomes pending again.
import { Logger } from '@nestjs/common';
import { describeJob } from './scheduled-job';
import { ScheduledWorkRepository } from './scheduled-work.repository';
import { ScheduledWork } from './scheduled-work.schema';
import { SchedulingMetrics, ReconcileAction } from './scheduling.metrics';
import { ResolvedSchedulingOptions } from './scheduling.options';
import { SchedulingQueues } from './scheduling.queues';
import { dueTimeFromDelayedScore, isLiveState, isStrandedDelayedJob } from './scheduling.rules';

function groupByQueue(records: readonly ScheduledWork[]): Map<string, ScheduledWork[]> {
  const groups = new Map<string, ScheduledWork[]>();
  for (const record of records) {
    const group = groups.get(record.queue);
    if (group) group.push(record);
    else groups.set(record.queue, [record]);
  }
  return groups;
}

export interface ReconcileReport {
  checked: number;
  added: number;
  replaced: number;
  promoted: number;
  released: number;
  /** Records whose queue or job name is no longer declared (stranded by a rename). */
  stranded: number;
  errors: number;
}

export class ScheduledWorkReconciler {
  private readonly logger = new Logger(ScheduledWorkReconciler.name);
  private readonly queueNames: string[];

  constructor(
    private readonly options: ResolvedSchedulingOptions,
    private readonly repository: ScheduledWorkRepository,
    private readonly queues: SchedulingQueues,
    private readonly metrics: SchedulingMetrics,
  ) {
    this.queueNames = [...new Set(options.jobs.map((job) => job.queue))];
  }

  async reconcile(now: () => Date = () => new Date()): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      checked: 0,
      added: 0,
      replaced: 0,
      promoted: 0,
      released: 0,
      stranded: 0,
      errors: 0,
    };
    if (this.queueNames.length === 0) return report;

    await this.releaseAbandoned(now(), report);

    let after: string | null = null;
    for (;;) {
      const batch: ScheduledWork[] = await this.repository.pendingAfter(
        this.queueNames,
        after,
        this.options.reconcileBatchSize,
      );
      await this.reconcileBatch(batch, now, report);
      if (batch.length < this.options.reconcileBatchSize) break;
      after = batch[batch.length - 1].jobId;
    }

    report.stranded = await this.repository.countStranded(this.options.jobs);
    if (report.stranded > 0) {
      this.logger.error({
        msg: 'scheduled work under queue/job names this service no longer declares: it will never run',
        count: report.stranded,
        declared: this.options.jobs.map(describeJob),
      });
    }
    if (report.added + report.replaced + report.promoted + report.released + report.errors > 0) {
      this.logger.log({ msg: 'reconciled scheduled work', ...report });
    }
    return report;
  }

  /**
   * One page of pending records. Fast path, a few round trips for the whole page: one pipelined look at every
   * record's job (exists, revision, delayed score); jobs that are delayed at the record's revision and not past
   * their due time are right as they are; records without any job are re-read at once and the still-pending ones
   * added with one addBulk per queue. Everything else (waiting, active, stale revision, stranded) takes the careful
   * path one record at a time, as before. At 10^5 pending records (a week of visits) this is what keeps a pass short.
   */
  private async reconcileBatch(
    batch: ScheduledWork[],
    now: () => Date,
    report: ReconcileReport,
  ): Promise<void> {
    const careful: ScheduledWork[] = [];
    const missing: ScheduledWork[] = [];
    for (const [queue, records] of groupByQueue(batch)) {
      let states: Awaited<ReturnType<SchedulingQueues['inspect']>>;
      try {
        states = await this.queues.inspect(
          queue,
          records.map((record) => record.jobId),
        );
      } catch (error) {
        this.logger.warn({
          msg: 'could not inspect jobs in one pass',
          queue,
          error: (error as Error).message,
        });
        careful.push(...records);
        continue;
      }
      const at = now();
      records.forEach((record, index) => {
        const state = states[index];
        if (!state.exists) missing.push(record);
        else if (
          state.delayedScore !== null &&
          state.revision === record.revision &&
          !isStrandedDelayedJob(
            dueTimeFromDelayedScore(state.delayedScore),
            at,
            this.options.delayedOverdueGraceMs,
          )
        ) {
          report.checked += 1;
        } else careful.push(record);
      });
    }
    if (missing.length > 0) await this.addMissing(missing, now(), report);
    for (const record of careful) {
      report.checked += 1;
      try {
        const action = await this.ensureJob(record, now());
        if (action) {
          report[action] += 1;
          this.metrics.countReconciled(record.queue, action);
        }
      } catch (error) {
        report.errors += 1;
        this.logger.warn({
          msg: 'could not reconcile job',
          jobId: record.jobId,
          error: (error as Error).message,
        });
      }
    }
  }

  /** Records with no Bull job at all: re-read (work finished meanwhile is not queued again), then added in bulk. */
  private async addMissing(records: ScheduledWork[], now: Date, report: ReconcileReport): Promise<void> {
    report.checked += records.length;
    const current = await this.repository.findByJobIds(records.map((record) => record.jobId));
    const revisions = new Map(records.map((record) => [record.jobId, record.revision]));
    const pending = [...current.values()].filter(
      (record) => record.status === 'pending' && revisions.get(record.jobId) === record.revision,
    );
    for (const [queue, group] of groupByQueue(pending)) {
      try {
        await this.queues.enqueueMany(queue, group, now);
        report.added += group.length;
        for (let i = 0; i < group.length; i++) this.metrics.countReconciled(queue, 'added');
      } catch (error) {
        report.errors += group.length;
        this.logger.warn({
          msg: 'could not add jobs',
          queue,
          count: group.length,
          error: (error as Error).message,
        });
      }
    }
  }

  /** One pending record: what its Bull job needed, or null when it was already right. */
  private async ensureJob(record: ScheduledWork, now: Date): Promise<ReconcileAction | null> {
    const queue = this.queues.get(record.queue);
    const job = await queue.getJob(record.jobId);
    if (job) {
      const state = await job.getState();
      if (isLiveState(state) && job.data.revision === record.revision) {
        if (state === 'delayed' && (await this.isStranded(record, now))) {
          await job.promote();
          return 'promoted';
        }
        return null;
      }
      // An active job of an older revision is locked by its worker; its claim will fail, and the next pass adds
      // the current revision once it is gone.
      if (state === 'active') return null;
      // Completed, failed or stale: the id must be free before the current revision can be added.
      await job.remove();
      if (!(await this.stillPending(record))) return null;
      await this.queues.enqueue(record, now);
      return 'replaced';
    }
    if (!(await this.stillPending(record))) return null;
    await this.queues.enqueue(record, now);
    return 'added';
  }

  /** Bull's delay timer can miss a reconnect and leave a due job in the delayed set (the known stall). */
  private async isStranded(record: ScheduledWork, now: Date): Promise<boolean> {
    const score = await this.queues.delayedScore(record.queue, record.jobId);
    if (score === null) return false;
    return isStrandedDelayedJob(dueTimeFromDelayedScore(score), now, this.options.delayedOverdueGraceMs);
  }

  /** Re-read just before adding, so work that finished during the pass is not queued again. */
  private async stillPending(record: ScheduledWork): Promise<boolean> {
    const current = await this.repository.findByJobId(record.jobId);
    return current?.status === 'pending' && current.revision === record.revision;
  }

  private async releaseAbandoned(now: Date, report: ReconcileReport): Promise<void> {
    const cutoff = new Date(now.getTime() - this.options.runningTimeoutMs);
    const stuck = await this.repository.runningSince(
      this.queueNames,
      cutoff,
      this.options.reconcileBatchSize,
    );
    for (const record of stuck) {
      try {
        // A job Bull still holds as active has a live worker (Bull's lock says so): leave it to finish.
        const job = await this.queues.get(record.queue).getJob(record.jobId);
        if (job && (await job.getState()) === 'active') continue;
        if (await this.repository.releaseAbandoned(record)) {
          report.released += 1;
          this.metrics.countReconciled(record.queue, 'released');
          this.logger.warn({ msg: 'released work abandoned while running', jobId: record.jobId });
        }
      } catch (error) {
        report.errors += 1;
        this.logger.warn({
          msg: 'could not release abandoned work',
          jobId: record.jobId,
          error: (error as Error).message,
        });
      }
    }
  }
}
