// Bearer tokens for tests, signed with the development settings the services use by default.
import { DEV_TOKEN_SETTINGS, signToken, type LinliClaims, type Role } from '@linli/auth';

export function tokenFor(role: Role, jurisdiction: string, extra: Partial<LinliClaims> = {}): string {
  return signToken(
    { sub: extra.sub ?? `${role}-${jurisdiction}`, roles: [role], jurisdiction, ...extra },
    DEV_TOKEN_SETTINGS,
    3600,
  );
}

/** `{ authorization: 'Bearer …' }` for fetch. */
export function authHeader(role: Role, jurisdiction: string, extra: Partial<LinliClaims> = {}) {
  return { authorization: `Bearer ${tokenFor(role, jurisdiction, extra)}` };
}
