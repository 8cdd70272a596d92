// Runs a due Bull job: claim the MongoDB record, run the processor's effect, record the outcome.
import { Logger } from '@nestjs/common';
import type Bull from 'bull';
import { RegisteredProcessor } from './processor.catalogue';
import { describeJob } from './scheduled-job';
import { ScheduledWorkRepository } from './scheduled-work.repository';
import { ScheduledJobData } from './scheduling.queues';
import { UndeclaredJobError } from './scheduling.errors';
import { isFinalAttempt } from './scheduling.rules';

export type JobOutcome = 'done' | 'skipped';

export class ScheduledWorkWorker {
  private readonly logger = new Logger(ScheduledWorkWorker.name);

  constructor(
    private readonly repository: ScheduledWorkRepository,
    private readonly processors: ReadonlyMap<string, RegisteredProcessor>,
    private readonly defaultAttempts: number,
  ) {}

  /**
   * Claims before the effect: a job delivered twice (Bull re-delivers stalled jobs; reconciliation may re-add one
   * that just finished) finds the record running, done or cancelled and does nothing.
   */
  async run(job: Bull.Job<ScheduledJobData>): Promise<JobOutcome> {
    const jobId = String(job.id);
    const key = describeJob({ queue: job.queue.name, name: job.name });
    const processor = this.processors.get(key);
    if (!processor) {
      // The start-up check makes this a job left in Redis under a name this service no longer declares.
      throw new UndeclaredJobError(`No processor for ${key} (renamed or removed job name?)`);
    }
    const { revision } = job.data;
    const record = await this.repository.claim(jobId, revision, new Date());
    if (!record) {
      const current = await this.repository.findByJobId(jobId);
      this.logger.log({
        msg: 'job skipped: its work is not pending for this revision',
        jobId,
        status: current?.status ?? 'missing',
        revision,
        currentRevision: current?.revision,
      });
      return 'skipped';
    }
    try {
      await processor.handler.run({
        jobId,
        payload: record.payload,
        dueAt: record.dueAt,
        attempt: record.attempts,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const maxAttempts = job.opts.attempts ?? this.defaultAttempts;
      if (isFinalAttempt(job.attemptsMade, maxAttempts)) {
        await this.repository.markFailed(jobId, revision, message);
        this.logger.error({ msg: 'job failed for good', jobId, attempts: maxAttempts, error: message });
      } else {
        await this.repository.release(jobId, revision, message);
        this.logger.warn({
          msg: 'job failed; bull retries it',
          jobId,
          attempt: job.attemptsMade + 1,
          error: message,
        });
      }
      throw error;
    }
    await this.repository.markDone(jobId, revision, new Date());
    return 'done';
  }
}
