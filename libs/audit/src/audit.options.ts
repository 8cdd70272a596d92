// What AuditModule.forRoot is given and what it resolves from the environment.
import type { AuditedService } from '@linli/contracts';
import type { AuditConfig } from './audit.config';
import type { TrustedProxies } from './client-address';

export const AUDIT_OPTIONS = Symbol('linli.audit.options');

export interface AuditModuleOptions {
  /** The service recording (its records say so, and their resource belongs to it). */
  service: AuditedService;
  /**
   * Operations (`POST /auth/login`) whose changes the code records itself with a better action (sign-in, sign-out),
   * so the interceptor does not record them again as resource.changed.
   */
  recordedByHand?: readonly string[];
  /** Settings; default: read from the environment (AuditConfigSchema). */
  config?: AuditConfig;
}

export interface ResolvedAuditOptions {
  service: AuditedService;
  recordedByHand: ReadonlySet<string>;
  config: AuditConfig;
  trustedProxies: TrustedProxies;
}
