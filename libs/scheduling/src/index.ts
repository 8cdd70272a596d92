// Public API of @linli/scheduling: see ../README.md for how a service uses it.
export * from './scheduled-job';
export * from './scheduled-job.processor';
export * from './scheduler.service';
export * from './scheduling.module';
export * from './scheduling.errors';
export { SCHEDULING_DEFAULTS, SCHEDULING_OPTIONS } from './scheduling.options';
export type { SchedulingModuleOptions, ResolvedSchedulingOptions } from './scheduling.options';
export { SchedulingRuntime, REDIS_READINESS_CHECK } from './scheduling.runtime';
export type { ReconcileReport } from './scheduled-work.reconciler';
export { QUEUE_DEPTH_METRIC, RECONCILED_METRIC } from './scheduling.metrics';
export { SCHEDULED_WORK_COLLECTION } from './scheduled-work.schema';
export type { ScheduledWork, ScheduledWorkStatus } from './scheduled-work.schema';
export { buildJobId, delayUntil, assertIdsOnlyPayload } from './scheduling.rules';
export type { JobPayload, JobPayloadValue } from './scheduling.rules';
