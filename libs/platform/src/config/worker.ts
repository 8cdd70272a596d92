// The settings every service that consumes events and runs scheduled work shares: the Kafka consumer's session and
// heartbeat, and libs/scheduling's running timeout and reconciliation interval. One schema, one set of defaults.
import { Type } from '@sinclair/typebox';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

export const WORKER_DEFAULTS = {
  CONSUMER_SESSION_TIMEOUT_MS: 30 * SECOND,
  CONSUMER_HEARTBEAT_INTERVAL_MS: 3 * SECOND,
  /** A scheduled-work record `running` longer than this, with no active Bull job, goes back to pending. */
  SCHEDULED_WORK_RUNNING_TIMEOUT_MS: 10 * MINUTE,
  /** How often each service reconciles its Bull queues with MongoDB (0: only at start-up). */
  SCHEDULING_RECONCILE_INTERVAL_MS: 5 * MINUTE,
} as const;

export const WorkerConfigSchema = Type.Object({
  CONSUMER_SESSION_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    default: WORKER_DEFAULTS.CONSUMER_SESSION_TIMEOUT_MS,
  }),
  CONSUMER_HEARTBEAT_INTERVAL_MS: Type.Integer({
    minimum: 1,
    default: WORKER_DEFAULTS.CONSUMER_HEARTBEAT_INTERVAL_MS,
  }),
  SCHEDULED_WORK_RUNNING_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    default: WORKER_DEFAULTS.SCHEDULED_WORK_RUNNING_TIMEOUT_MS,
  }),
  SCHEDULING_RECONCILE_INTERVAL_MS: Type.Integer({
    minimum: 0,
    default: WORKER_DEFAULTS.SCHEDULING_RECONCILE_INTERVAL_MS,
  }),
});
