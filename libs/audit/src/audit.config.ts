// libs/audit's settings, read from the environment by AuditModule.forRoot and validated at start-up like every
// service's own (defineConfig): the proxies whose x-forwarded-for is believed, the deployment's root code, the relay.
import { defineConfig } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';

const SECOND = 1_000;

export const AUDIT_DEFAULTS = {
  /**
   * Peers (addresses or CIDR ranges, comma-separated) whose x-forwarded-for is taken as the client's address: the
   * gateway. Loopback by default (the local platform); in a cluster, the gateway's pod range. Anyone else's header
   * is ignored and the socket's address recorded, so a caller cannot put another address in the log.
   */
  AUDIT_TRUSTED_PROXIES: '127.0.0.0/8,::1/128',
  /**
   * The deployment's root code (Jiangsu, 32, for the demo): a record whose place is unknown (an anonymous caller of
   * a public route, a failed sign-in of an unknown name) is filed here, so the deployment's top auditors see it.
   */
  AUDIT_ROOT_JURISDICTION: '32',
  /** How often the relay looks for records another process left (its own records wake it at once). */
  AUDIT_RELAY_INTERVAL_MS: SECOND,
  /** Idle polls double the wait up to this: an idle service does not scan its outbox every second. */
  AUDIT_RELAY_IDLE_MAX_MS: 10 * SECOND,
  /** Records published per Kafka request. */
  AUDIT_RELAY_BATCH_SIZE: 500,
  /** At shutdown, how long the relay keeps publishing what is pending (the next start publishes the rest). */
  AUDIT_RELAY_SHUTDOWN_FLUSH_MS: 5 * SECOND,
} as const;

export const AuditConfigSchema = Type.Object({
  AUDIT_TRUSTED_PROXIES: Type.String({ default: AUDIT_DEFAULTS.AUDIT_TRUSTED_PROXIES }),
  AUDIT_ROOT_JURISDICTION: Type.String({
    pattern: '^[0-9]{2,12}$',
    default: AUDIT_DEFAULTS.AUDIT_ROOT_JURISDICTION,
  }),
  AUDIT_RELAY_INTERVAL_MS: Type.Integer({ minimum: 1, default: AUDIT_DEFAULTS.AUDIT_RELAY_INTERVAL_MS }),
  AUDIT_RELAY_IDLE_MAX_MS: Type.Integer({ minimum: 1, default: AUDIT_DEFAULTS.AUDIT_RELAY_IDLE_MAX_MS }),
  AUDIT_RELAY_BATCH_SIZE: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: AUDIT_DEFAULTS.AUDIT_RELAY_BATCH_SIZE,
  }),
  AUDIT_RELAY_SHUTDOWN_FLUSH_MS: Type.Integer({
    minimum: 0,
    default: AUDIT_DEFAULTS.AUDIT_RELAY_SHUTDOWN_FLUSH_MS,
  }),
});

export type AuditConfig = Static<typeof AuditConfigSchema>;

export function auditConfigFrom(env: NodeJS.ProcessEnv = process.env): AuditConfig {
  return defineConfig(AuditConfigSchema, env);
}
