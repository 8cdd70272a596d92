// The gateway's environment, validated once at start-up and typed everywhere after.
import { AuthConfigSchema } from '@linli/auth';
import { PersonalDataConfigSchema } from '@linli/persistence';
import { CommonConfigSchema, defineConfig, WorkerConfigSchema } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';
import { UPSTREAM_URLS_PATTERN } from './edge/upstreams';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

export const GATEWAY_DEFAULTS = {
  HTTP_PORT: 3100,
  MONGO_DB: 'linli-gateway',
  /** Access tokens are short-lived: a stolen one is worth little; the refresh token renews them. */
  ACCESS_TOKEN_TTL_SECONDS: 15 * 60,
  /** A session (its refresh token family) lasts one working day at most, then the user signs in again. */
  REFRESH_TOKEN_TTL_SECONDS: 12 * 60 * 60,
  /** Failed sign-ins in a row that lock an account, and for how long. */
  LOGIN_MAX_FAILURES: 5,
  LOGIN_LOCKOUT_MS: 15 * MINUTE,
  PASSWORD_MIN_LENGTH: 12,
  /**
   * When set and no user exists yet, an `admin` user (role admin, jurisdiction 32) with this password is created at
   * start-up, so a new installation can be entered. Unset in production once users exist.
   */
  BOOTSTRAP_ADMIN_PASSWORD: '',
  /** Origins browsers may call the API from (comma-separated); empty: the console's own origin only. */
  CORS_ORIGINS: '',
  /** Requests per minute: per signed-in user, and per address for callers without a token (and sign-in). */
  RATE_LIMIT_PER_USER_PER_MINUTE: 600,
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 300,
  LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 20,
  /** The services the gateway routes /api/<service>/ to: a URL each, or its instances' URLs comma-separated. */
  RESIDENT_REQUESTS_URL: 'http://127.0.0.1:3101',
  DISPATCH_URL: 'http://127.0.0.1:3102',
  ELDER_CARE_URL: 'http://127.0.0.1:3103',
  MEDIATION_URL: 'http://127.0.0.1:3104',
  EMERGENCY_URL: 'http://127.0.0.1:3105',
  NOTIFICATIONS_URL: 'http://127.0.0.1:3106',
  INSIGHTS_URL: 'http://127.0.0.1:3107',
  /** A service slower than this answers 504 at the gateway (live streams excepted). */
  UPSTREAM_TIMEOUT_MS: 30 * SECOND,
  /** The web console's files (index.html and its assets), served at /. */
  CONSOLE_DIR: 'services/gateway/console',
  MAX_PAGE_SIZE: 200,
  /** GET /live: a comment this often keeps proxies and load balancers from closing an idle stream. */
  LIVE_HEARTBEAT_MS: 15 * SECOND,
  /** GET /live: the reconnect delay suggested to the browser (the SSE `retry:` field). */
  LIVE_RETRY_MS: 3 * SECOND,
  /** GET /live: open streams per user on one instance (a few tabs), and on the whole instance. */
  LIVE_MAX_STREAMS_PER_USER: 5,
  LIVE_MAX_STREAMS: 2_000,
  /** GET /live: a stream whose unsent notices pile up past this is ended (the browser reconnects and refetches). */
  LIVE_MAX_BUFFERED_BYTES: 256 * 1024,
} as const;

const positive = (value: number) => Type.Integer({ minimum: 1, default: value });
const urls = (value: string) => Type.String({ pattern: UPSTREAM_URLS_PATTERN, default: value });

export const GatewayConfigSchema = Type.Composite([
  CommonConfigSchema,
  AuthConfigSchema,
  PersonalDataConfigSchema,
  WorkerConfigSchema,
  Type.Object({
    HTTP_PORT: Type.Integer({ minimum: 0, maximum: 65_535, default: GATEWAY_DEFAULTS.HTTP_PORT }),
    MONGO_DB: Type.String({ minLength: 1, default: GATEWAY_DEFAULTS.MONGO_DB }),
    ACCESS_TOKEN_TTL_SECONDS: Type.Integer({
      minimum: 30,
      maximum: 3600,
      default: GATEWAY_DEFAULTS.ACCESS_TOKEN_TTL_SECONDS,
    }),
    REFRESH_TOKEN_TTL_SECONDS: positive(GATEWAY_DEFAULTS.REFRESH_TOKEN_TTL_SECONDS),
    LOGIN_MAX_FAILURES: Type.Integer({
      minimum: 1,
      maximum: 100,
      default: GATEWAY_DEFAULTS.LOGIN_MAX_FAILURES,
    }),
    LOGIN_LOCKOUT_MS: positive(GATEWAY_DEFAULTS.LOGIN_LOCKOUT_MS),
    PASSWORD_MIN_LENGTH: Type.Integer({
      minimum: 8,
      maximum: 128,
      default: GATEWAY_DEFAULTS.PASSWORD_MIN_LENGTH,
    }),
    BOOTSTRAP_ADMIN_PASSWORD: Type.String({ default: GATEWAY_DEFAULTS.BOOTSTRAP_ADMIN_PASSWORD }),
    CORS_ORIGINS: Type.String({ default: GATEWAY_DEFAULTS.CORS_ORIGINS }),
    RATE_LIMIT_PER_USER_PER_MINUTE: positive(GATEWAY_DEFAULTS.RATE_LIMIT_PER_USER_PER_MINUTE),
    RATE_LIMIT_PER_ADDRESS_PER_MINUTE: positive(GATEWAY_DEFAULTS.RATE_LIMIT_PER_ADDRESS_PER_MINUTE),
    LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: positive(
      GATEWAY_DEFAULTS.LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    ),
    RESIDENT_REQUESTS_URL: urls(GATEWAY_DEFAULTS.RESIDENT_REQUESTS_URL),
    DISPATCH_URL: urls(GATEWAY_DEFAULTS.DISPATCH_URL),
    ELDER_CARE_URL: urls(GATEWAY_DEFAULTS.ELDER_CARE_URL),
    MEDIATION_URL: urls(GATEWAY_DEFAULTS.MEDIATION_URL),
    EMERGENCY_URL: urls(GATEWAY_DEFAULTS.EMERGENCY_URL),
    NOTIFICATIONS_URL: urls(GATEWAY_DEFAULTS.NOTIFICATIONS_URL),
    INSIGHTS_URL: urls(GATEWAY_DEFAULTS.INSIGHTS_URL),
    UPSTREAM_TIMEOUT_MS: positive(GATEWAY_DEFAULTS.UPSTREAM_TIMEOUT_MS),
    CONSOLE_DIR: Type.String({ minLength: 1, default: GATEWAY_DEFAULTS.CONSOLE_DIR }),
    MAX_PAGE_SIZE: Type.Integer({ minimum: 1, maximum: 1000, default: GATEWAY_DEFAULTS.MAX_PAGE_SIZE }),
    LIVE_HEARTBEAT_MS: positive(GATEWAY_DEFAULTS.LIVE_HEARTBEAT_MS),
    LIVE_RETRY_MS: positive(GATEWAY_DEFAULTS.LIVE_RETRY_MS),
    LIVE_MAX_STREAMS_PER_USER: positive(GATEWAY_DEFAULTS.LIVE_MAX_STREAMS_PER_USER),
    LIVE_MAX_STREAMS: positive(GATEWAY_DEFAULTS.LIVE_MAX_STREAMS),
    LIVE_MAX_BUFFERED_BYTES: positive(GATEWAY_DEFAULTS.LIVE_MAX_BUFFERED_BYTES),
  }),
]);

export type GatewayConfig = Static<typeof GatewayConfigSchema>;

export const config = defineConfig(GatewayConfigSchema);
