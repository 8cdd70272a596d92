// The resident-requests service's environment, validated once at start-up and typed everywhere after.
import { AuthConfigSchema } from '@linli/auth';
import { PersonalDataConfigSchema } from '@linli/persistence';
import { CommonConfigSchema, defineConfig } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const RESIDENT_REQUESTS_DEFAULTS = {
  HTTP_PORT: 3101,
  MONGO_DB: 'linli-resident-requests',
  /**
   * Key of the HMAC over a reporter's phone number, for the duplicate lookup: the phone itself can then be
   * encrypted at rest (issue 7) without breaking the lookup. Set a real secret in every deployment.
   */
  PHONE_HASH_KEY: 'linli-dev-phone-hash-key-change-me',
  /** Longest description an operator can type (a long call, summarised). */
  DESCRIPTION_MAX_LENGTH: 2000,
  /** Same phone, category and community within this window: a likely duplicate (linked, never merged). */
  DUPLICATE_WINDOW_MS: DAY,
  /** Wait before an unanswered call-back (回访) is tried again. */
  CALLBACK_RETRY_DELAY_MS: 2 * HOUR,
  /** Unanswered call-backs after which the ticket is closed as unreachable. */
  CALLBACK_MAX_ATTEMPTS: 3,
  /** Factor on every service-level duration (1 in production; tests shorten them by configuration). */
  SERVICE_LEVEL_TIME_SCALE: 1,
  /** A closed ticket can be reopened this long after it was closed (a resolved one always can). */
  REOPEN_WINDOW_MS: 30 * DAY,
  /** Attempts of a command that lost a version race to an unrelated change of the same ticket. */
  TICKET_WRITE_ATTEMPTS: 8,
  /** Largest page of a list. */
  MAX_PAGE_SIZE: 100,
  /** Most call-backs one worklist shows (oldest due first). */
  CALLBACK_WORKLIST_LIMIT: 500,
  /** Kafka group membership: a crashed instance's partitions move after this long. */
  CONSUMER_SESSION_TIMEOUT_MS: 30 * SECOND,
  CONSUMER_HEARTBEAT_INTERVAL_MS: 3 * SECOND,
  /** A scheduled effect running longer than this is taken to be abandoned by a crashed worker. */
  SCHEDULED_WORK_RUNNING_TIMEOUT_MS: 10 * MINUTE,
} as const;

const positive = (value: number) => Type.Integer({ minimum: 1, default: value });

export const ResidentRequestsConfigSchema = Type.Composite([
  CommonConfigSchema,
  AuthConfigSchema,
  PersonalDataConfigSchema,
  Type.Object({
    MONGO_DB: Type.String({ minLength: 1, default: RESIDENT_REQUESTS_DEFAULTS.MONGO_DB }),
    PHONE_HASH_KEY: Type.String({ minLength: 16, default: RESIDENT_REQUESTS_DEFAULTS.PHONE_HASH_KEY }),
    DESCRIPTION_MAX_LENGTH: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      default: RESIDENT_REQUESTS_DEFAULTS.DESCRIPTION_MAX_LENGTH,
    }),
    DUPLICATE_WINDOW_MS: positive(RESIDENT_REQUESTS_DEFAULTS.DUPLICATE_WINDOW_MS),
    /** When set, overrides every category's call-back delay (tests shorten it; a pilot may want one delay). */
    CALLBACK_DELAY_MS: Type.Optional(Type.Integer({ minimum: 0 })),
    CALLBACK_RETRY_DELAY_MS: positive(RESIDENT_REQUESTS_DEFAULTS.CALLBACK_RETRY_DELAY_MS),
    CALLBACK_MAX_ATTEMPTS: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: RESIDENT_REQUESTS_DEFAULTS.CALLBACK_MAX_ATTEMPTS,
    }),
    SERVICE_LEVEL_TIME_SCALE: Type.Number({
      exclusiveMinimum: 0,
      maximum: 1000,
      default: RESIDENT_REQUESTS_DEFAULTS.SERVICE_LEVEL_TIME_SCALE,
    }),
    REOPEN_WINDOW_MS: positive(RESIDENT_REQUESTS_DEFAULTS.REOPEN_WINDOW_MS),
    TICKET_WRITE_ATTEMPTS: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: RESIDENT_REQUESTS_DEFAULTS.TICKET_WRITE_ATTEMPTS,
    }),
    MAX_PAGE_SIZE: Type.Integer({
      minimum: 1,
      maximum: 1000,
      default: RESIDENT_REQUESTS_DEFAULTS.MAX_PAGE_SIZE,
    }),
    CALLBACK_WORKLIST_LIMIT: Type.Integer({
      minimum: 1,
      maximum: 5000,
      default: RESIDENT_REQUESTS_DEFAULTS.CALLBACK_WORKLIST_LIMIT,
    }),
    CONSUMER_SESSION_TIMEOUT_MS: positive(RESIDENT_REQUESTS_DEFAULTS.CONSUMER_SESSION_TIMEOUT_MS),
    CONSUMER_HEARTBEAT_INTERVAL_MS: positive(RESIDENT_REQUESTS_DEFAULTS.CONSUMER_HEARTBEAT_INTERVAL_MS),
    SCHEDULED_WORK_RUNNING_TIMEOUT_MS: positive(RESIDENT_REQUESTS_DEFAULTS.SCHEDULED_WORK_RUNNING_TIMEOUT_MS),
  }),
]);
export type ResidentRequestsConfig = Static<typeof ResidentRequestsConfigSchema>;

/**
 * Read at import, so a bad deployment fails before anything connects. HTTP_PORT is the platform's variable; only
 * its default differs per service (the lead's port plan), so it is filled in before validation.
 */
export const config: ResidentRequestsConfig = defineConfig(ResidentRequestsConfigSchema, {
  ...process.env,
  HTTP_PORT: process.env.HTTP_PORT || String(RESIDENT_REQUESTS_DEFAULTS.HTTP_PORT),
});
