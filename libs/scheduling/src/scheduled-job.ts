// How a service declares a kind of scheduled work: the queue it waits in and the job name its processor answers to.
import { assertName, JobPayload } from './scheduling.rules';

/**
 * One kind of scheduled work (跟进 follow-up, 回访 call-back, deadline, reminder, recurring visit).
 *
 * Keep every definition of a service in ONE file (e.g. `services/dispatch/src/scheduling.jobs.ts`).
 * Renaming a queue or a job name strands the jobs already waiting under the old name: Bull will never hand them
 * to the renamed processor. To rename, add the new definition, let the old one drain (or migrate its
 * `scheduled_work` records), then remove it. Reconciliation logs records whose queue or job is no longer declared.
 */
export interface ScheduledJobDefinition<P extends JobPayload = JobPayload> {
  readonly queue: string;
  readonly name: string;
  /** Overrides the module's `attempts` for this job. */
  readonly attempts?: number;
  /** Overrides the module's `backoffDelayMs` for this job. */
  readonly backoffDelayMs?: number;
  /** Phantom field that carries the payload type to `schedule()` and to the processor; never set. */
  readonly __payload?: P;
}

export function defineScheduledJob<P extends JobPayload = JobPayload>(
  definition: Omit<ScheduledJobDefinition<P>, '__payload'>,
): ScheduledJobDefinition<P> {
  assertName('queue', definition.queue);
  assertName('job', definition.name);
  return Object.freeze({ ...definition });
}

/** `<queue>/<name>`: how errors and logs name a job definition. */
export function describeJob(definition: Pick<ScheduledJobDefinition, 'queue' | 'name'>): string {
  return `${definition.queue}/${definition.name}`;
}
