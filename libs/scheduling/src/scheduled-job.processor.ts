// How a service declares the processor of a job name: a provider class decorated with @ScheduledJobProcessor.
import { Injectable, SetMetadata } from '@nestjs/common';
import type { ScheduledJobDefinition } from './scheduled-job';
import type { JobPayload } from './scheduling.rules';

export const SCHEDULED_JOB_PROCESSOR = Symbol('linli:scheduled-job-processor');

/** What a processor receives when its job is due; the record is already claimed (status running). */
export interface ScheduledWorkContext<P extends JobPayload = JobPayload> {
  jobId: string;
  payload: P;
  dueAt: Date;
  /** 1 on the first run; counts Bull retries and re-deliveries. */
  attempt: number;
}

/**
 * The effect of one job name. Throw to have Bull retry with backoff (bounded by `attempts`); return to mark the
 * work done. The claim makes a second delivery of the same job a no-op, but an effect that talks to the outside
 * world should still be idempotent itself (e.g. emit its event with an id derived from the job id): a worker can
 * crash after the effect and before the record is marked done.
 */
export interface ScheduledJobHandler<P extends JobPayload = JobPayload> {
  run(work: ScheduledWorkContext<P>): Promise<void>;
}

/**
 * Marks a provider as THE processor of `definition`. The class must also be listed in a module's providers;
 * start-up fails unless every declared job has exactly one.
 */
export function ScheduledJobProcessor(definition: ScheduledJobDefinition<JobPayload>): ClassDecorator {
  return (target) => {
    SetMetadata(SCHEDULED_JOB_PROCESSOR, definition)(target);
    Injectable()(target);
  };
}
