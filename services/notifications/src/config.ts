// The notifications service's environment, validated once at start-up and typed everywhere after.
import { AuthConfigSchema } from '@linli/auth';
import { PersonalDataConfigSchema } from '@linli/persistence';
import { CommonConfigSchema, defineConfig, WorkerConfigSchema } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';

const SECOND = 1_000;

export const NOTIFICATIONS_DEFAULTS = {
  HTTP_PORT: 3106,
  MONGO_DB: 'linli-notifications',
  /** Key of the HMAC over subscribers' phones (one subscription per phone and community). */
  PERSONAL_HASH_KEY: 'linli-dev-personal-hash-key-change-me',
  /** Key of the HMAC in the acknowledgement links sent by SMS; emergency verifies them with the same key. */
  ALERT_ACK_LINK_KEY: 'linli-dev-ack-link-key-change-me',
  /** Where a resident opens an acknowledgement link (the public address of emergency's link endpoint). */
  ALERT_ACK_LINK_BASE_URL: 'http://localhost:3105/acknowledgements/link',
  /** Recipients per broadcast batch (one insert, one broadcast.recipients-resolved event). */
  BROADCAST_BATCH_SIZE: 500,
  /** SMS adapter: `record` keeps the message (default, for development and tests), `http` posts to a gateway. */
  SMS_ADAPTER: 'record',
  /** The `http` adapter's gateway (see docs/sms-adapter.md) and its bearer token. */
  SMS_GATEWAY_URL: '',
  SMS_GATEWAY_TOKEN: '',
  /** Per-channel rate limits: messages per second each channel sends, across instances (Redis). */
  SMS_RATE_PER_SECOND: 50,
  WEBHOOK_RATE_PER_SECOND: 20,
  /** Tries of one SMS or webhook delivery, the first retry after *_BACKOFF_MS, doubling. */
  SMS_ATTEMPTS: 5,
  SMS_BACKOFF_MS: 5 * SECOND,
  WEBHOOK_ATTEMPTS: 6,
  WEBHOOK_BACKOFF_MS: 5 * SECOND,
  /** A webhook target must answer within this long. */
  WEBHOOK_TIMEOUT_MS: 5 * SECOND,
  /**
   * Targets on private, loopback, link-local and other non-public addresses are refused (SSRF) unless listed here:
   * comma-separated CIDR ranges or host names (e.g. `127.0.0.1/32,10.20.0.0/16,alerts.internal`).
   */
  WEBHOOK_ALLOWED_PRIVATE_TARGETS: '',
  /** Live stream (SSE): a comment line this often keeps proxies from closing an idle stream. */
  SSE_HEARTBEAT_MS: 15 * SECOND,
  MAX_PAGE_SIZE: 200,
  WRITE_ATTEMPTS: 8,
} as const;

const positive = (value: number) => Type.Integer({ minimum: 1, default: value });

export const NotificationsConfigSchema = Type.Composite([
  CommonConfigSchema,
  AuthConfigSchema,
  PersonalDataConfigSchema,
  WorkerConfigSchema,
  Type.Object({
    MONGO_DB: Type.String({ minLength: 1, default: NOTIFICATIONS_DEFAULTS.MONGO_DB }),
    PERSONAL_HASH_KEY: Type.String({ minLength: 16, default: NOTIFICATIONS_DEFAULTS.PERSONAL_HASH_KEY }),
    ALERT_ACK_LINK_KEY: Type.String({ minLength: 16, default: NOTIFICATIONS_DEFAULTS.ALERT_ACK_LINK_KEY }),
    ALERT_ACK_LINK_BASE_URL: Type.String({
      pattern: '^https?://',
      default: NOTIFICATIONS_DEFAULTS.ALERT_ACK_LINK_BASE_URL,
    }),
    BROADCAST_BATCH_SIZE: Type.Integer({
      minimum: 1,
      maximum: 500,
      default: NOTIFICATIONS_DEFAULTS.BROADCAST_BATCH_SIZE,
    }),
    SMS_ADAPTER: Type.Union([Type.Literal('record'), Type.Literal('http')], {
      default: NOTIFICATIONS_DEFAULTS.SMS_ADAPTER,
    }),
    SMS_GATEWAY_URL: Type.String({ default: NOTIFICATIONS_DEFAULTS.SMS_GATEWAY_URL }),
    SMS_GATEWAY_TOKEN: Type.String({ default: NOTIFICATIONS_DEFAULTS.SMS_GATEWAY_TOKEN }),
    SMS_RATE_PER_SECOND: positive(NOTIFICATIONS_DEFAULTS.SMS_RATE_PER_SECOND),
    WEBHOOK_RATE_PER_SECOND: positive(NOTIFICATIONS_DEFAULTS.WEBHOOK_RATE_PER_SECOND),
    SMS_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 50, default: NOTIFICATIONS_DEFAULTS.SMS_ATTEMPTS }),
    SMS_BACKOFF_MS: positive(NOTIFICATIONS_DEFAULTS.SMS_BACKOFF_MS),
    WEBHOOK_ATTEMPTS: Type.Integer({
      minimum: 1,
      maximum: 50,
      default: NOTIFICATIONS_DEFAULTS.WEBHOOK_ATTEMPTS,
    }),
    WEBHOOK_BACKOFF_MS: positive(NOTIFICATIONS_DEFAULTS.WEBHOOK_BACKOFF_MS),
    WEBHOOK_TIMEOUT_MS: positive(NOTIFICATIONS_DEFAULTS.WEBHOOK_TIMEOUT_MS),
    WEBHOOK_ALLOWED_PRIVATE_TARGETS: Type.String({
      default: NOTIFICATIONS_DEFAULTS.WEBHOOK_ALLOWED_PRIVATE_TARGETS,
    }),
    SSE_HEARTBEAT_MS: positive(NOTIFICATIONS_DEFAULTS.SSE_HEARTBEAT_MS),
    MAX_PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 1000, default: NOTIFICATIONS_DEFAULTS.MAX_PAGE_SIZE }),
    WRITE_ATTEMPTS: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: NOTIFICATIONS_DEFAULTS.WRITE_ATTEMPTS,
    }),
  }),
]);
export type NotificationsConfig = Static<typeof NotificationsConfigSchema>;

/** Read at import, so a bad deployment fails before anything connects. */
export const config: NotificationsConfig = defineConfig(NotificationsConfigSchema, {
  ...process.env,
  HTTP_PORT: process.env.HTTP_PORT || String(NOTIFICATIONS_DEFAULTS.HTTP_PORT),
});
