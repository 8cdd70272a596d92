// The emergency service's environment, validated once at start-up and typed everywhere after.
import { AuthConfigSchema } from '@linli/auth';
import { PersonalDataConfigSchema } from '@linli/persistence';
import { CommonConfigSchema, defineConfig, WorkerConfigSchema } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const EMERGENCY_DEFAULTS = {
  HTTP_PORT: 3105,
  MONGO_DB: 'linli-emergency',
  /** Recipients who have not acknowledged an alert within this long get it again on their second channel. */
  ALERT_ACKNOWLEDGE_WITHIN_MS: 15 * MINUTE,
  /** After the re-send, those still silent after this long are listed to the coordinators. */
  ALERT_RESEND_WINDOW_MS: 15 * MINUTE,
  /** An alert expires this long after it is issued unless the coordinator says otherwise. */
  ALERT_DEFAULT_EXPIRY_MS: 24 * HOUR,
  /**
   * Key of the HMAC in the acknowledgement links sent by SMS (notifications signs them with the same key):
   * a resident without an account acknowledges by opening the link.
   */
  ALERT_ACK_LINK_KEY: 'linli-dev-ack-link-key-change-me',
  /** CAP <sender> of the alerts the platform writes. */
  CAP_SENDER: 'emergency@linli.js.gov.cn',
  /** Largest CAP XML document accepted (bytes). */
  CAP_MAX_BYTES: 1024 * 1024,
  /** A welfare check's job must be done within this long (its dueBy in dispatch). */
  WELFARE_CHECK_WITHIN_MS: 2 * HOUR,
  /** Largest polygon drawn for an incident's area, in points. */
  MAX_POLYGON_POINTS: 1_000,
  /** Largest text fields (description, alert description), in characters. */
  TEXT_MAX_LENGTH: 5_000,
  /** Attempts of a command that lost a version race to an unrelated change of the same aggregate. */
  WRITE_ATTEMPTS: 8,
  MAX_PAGE_SIZE: 500,
} as const;

const positive = (value: number) => Type.Integer({ minimum: 1, default: value });

export const EmergencyConfigSchema = Type.Composite([
  CommonConfigSchema,
  AuthConfigSchema,
  PersonalDataConfigSchema,
  WorkerConfigSchema,
  Type.Object({
    MONGO_DB: Type.String({ minLength: 1, default: EMERGENCY_DEFAULTS.MONGO_DB }),
    ALERT_ACKNOWLEDGE_WITHIN_MS: positive(EMERGENCY_DEFAULTS.ALERT_ACKNOWLEDGE_WITHIN_MS),
    ALERT_RESEND_WINDOW_MS: positive(EMERGENCY_DEFAULTS.ALERT_RESEND_WINDOW_MS),
    ALERT_DEFAULT_EXPIRY_MS: positive(EMERGENCY_DEFAULTS.ALERT_DEFAULT_EXPIRY_MS),
    ALERT_ACK_LINK_KEY: Type.String({ minLength: 16, default: EMERGENCY_DEFAULTS.ALERT_ACK_LINK_KEY }),
    CAP_SENDER: Type.String({
      minLength: 1,
      pattern: '^[^\\s,&<]+$',
      default: EMERGENCY_DEFAULTS.CAP_SENDER,
    }),
    CAP_MAX_BYTES: Type.Integer({
      minimum: 1024,
      maximum: 16 * 1024 * 1024,
      default: EMERGENCY_DEFAULTS.CAP_MAX_BYTES,
    }),
    WELFARE_CHECK_WITHIN_MS: positive(EMERGENCY_DEFAULTS.WELFARE_CHECK_WITHIN_MS),
    MAX_POLYGON_POINTS: Type.Integer({
      minimum: 4,
      maximum: 100_000,
      default: EMERGENCY_DEFAULTS.MAX_POLYGON_POINTS,
    }),
    TEXT_MAX_LENGTH: Type.Integer({
      minimum: 100,
      maximum: 100_000,
      default: EMERGENCY_DEFAULTS.TEXT_MAX_LENGTH,
    }),
    WRITE_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 100, default: EMERGENCY_DEFAULTS.WRITE_ATTEMPTS }),
    MAX_PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 5000, default: EMERGENCY_DEFAULTS.MAX_PAGE_SIZE }),
  }),
]);
export type EmergencyConfig = Static<typeof EmergencyConfigSchema>;

/** Read at import, so a bad deployment fails before anything connects. */
export const config: EmergencyConfig = defineConfig(EmergencyConfigSchema, {
  ...process.env,
  HTTP_PORT: process.env.HTTP_PORT || String(EMERGENCY_DEFAULTS.HTTP_PORT),
});
