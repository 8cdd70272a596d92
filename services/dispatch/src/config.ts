// The dispatch service's environment, validated once at start-up and typed everywhere after.
import { AuthConfigSchema } from '@linli/auth';
import { PersonalDataConfigSchema } from '@linli/persistence';
import { CommonConfigSchema, defineConfig } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

export const DISPATCH_DEFAULTS = {
  HTTP_PORT: 3102,
  MONGO_DB: 'linli-dispatch',
  /** Providers offered a job at once, per round (the first to accept holds it). */
  OFFERS_PER_ROUND: 3,
  /** How long an offer stays open unanswered. */
  OFFER_TIMEOUT_MS: 15 * MINUTE,
  /** The same for priority `immediate` (life or property in danger): a shorter wait before the next round. */
  OFFER_TIMEOUT_IMMEDIATE_MS: 2 * MINUTE,
  /** Recent offer outcomes kept per provider for its acceptance rate (a ranking criterion). */
  ACCEPTANCE_WINDOW: 20,
  /** Attempts of a command that lost a version race to an unrelated change of the same job (a decline, say). */
  JOB_WRITE_ATTEMPTS: 8,
  /** How often open offers are checked for a missing expiry timer and provider loads recounted. */
  RECONCILE_INTERVAL_MS: MINUTE,
  /** Kafka group membership: a crashed instance's partitions move after this long. */
  CONSUMER_SESSION_TIMEOUT_MS: 30 * SECOND,
  CONSUMER_HEARTBEAT_INTERVAL_MS: 3 * SECOND,
  /** A scheduled effect (offer expiry) running longer than this is taken to be abandoned by a crashed worker. */
  SCHEDULED_WORK_RUNNING_TIMEOUT_MS: 10 * MINUTE,
  /** Largest page of a list. */
  MAX_PAGE_SIZE: 100,
} as const;

const positive = (value: number) => Type.Integer({ minimum: 1, default: value });

export const DispatchConfigSchema = Type.Composite([
  CommonConfigSchema,
  AuthConfigSchema,
  PersonalDataConfigSchema,
  Type.Object({
    MONGO_DB: Type.String({ minLength: 1, default: DISPATCH_DEFAULTS.MONGO_DB }),
    OFFERS_PER_ROUND: Type.Integer({ minimum: 1, maximum: 50, default: DISPATCH_DEFAULTS.OFFERS_PER_ROUND }),
    OFFER_TIMEOUT_MS: positive(DISPATCH_DEFAULTS.OFFER_TIMEOUT_MS),
    OFFER_TIMEOUT_IMMEDIATE_MS: positive(DISPATCH_DEFAULTS.OFFER_TIMEOUT_IMMEDIATE_MS),
    ACCEPTANCE_WINDOW: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: DISPATCH_DEFAULTS.ACCEPTANCE_WINDOW,
    }),
    JOB_WRITE_ATTEMPTS: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: DISPATCH_DEFAULTS.JOB_WRITE_ATTEMPTS,
    }),
    RECONCILE_INTERVAL_MS: Type.Integer({ minimum: 0, default: DISPATCH_DEFAULTS.RECONCILE_INTERVAL_MS }),
    CONSUMER_SESSION_TIMEOUT_MS: positive(DISPATCH_DEFAULTS.CONSUMER_SESSION_TIMEOUT_MS),
    CONSUMER_HEARTBEAT_INTERVAL_MS: positive(DISPATCH_DEFAULTS.CONSUMER_HEARTBEAT_INTERVAL_MS),
    SCHEDULED_WORK_RUNNING_TIMEOUT_MS: positive(DISPATCH_DEFAULTS.SCHEDULED_WORK_RUNNING_TIMEOUT_MS),
    MAX_PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 1000, default: DISPATCH_DEFAULTS.MAX_PAGE_SIZE }),
  }),
]);
export type DispatchConfig = Static<typeof DispatchConfigSchema>;

/**
 * Read at import, so a bad deployment fails before anything connects. HTTP_PORT is the platform's variable; only
 * its default differs per service (the lead's port plan), so it is filled in before validation.
 */
export const config: DispatchConfig = defineConfig(DispatchConfigSchema, {
  ...process.env,
  HTTP_PORT: process.env.HTTP_PORT || String(DISPATCH_DEFAULTS.HTTP_PORT),
});
