// Signing and verifying Linli's access tokens (JWT, HS256 with a shared secret in this first cut; the gateway
// issue adds RS256 keys and an external OIDC issuer's JWKS). Every service verifies tokens itself.
import jwt from 'jsonwebtoken';
import { ROLES } from '@linli/contracts';
import { UnauthorizedError } from '@linli/platform';
import type { LinliClaims, Role } from './actor';

export interface TokenSettings {
  secret: string;
  issuer: string;
}

const JURISDICTION = /^[0-9]{2,12}$/;
const DEFAULT_TTL_SECONDS = 15 * 60;

export function signToken(
  claims: LinliClaims,
  settings: TokenSettings,
  ttlSeconds = DEFAULT_TTL_SECONDS,
): string {
  const { sub, ...rest } = claims;
  return jwt.sign(rest, settings.secret, {
    algorithm: 'HS256',
    issuer: settings.issuer,
    subject: sub,
    expiresIn: ttlSeconds,
  });
}

/** The claims of a valid token; UnauthorizedError for anything else (no detail that helps an attacker). */
export function verifyToken(token: string, settings: TokenSettings): LinliClaims {
  let payload: jwt.JwtPayload | string;
  try {
    // The algorithm list is what refuses `alg: none` and a token re-signed with another algorithm.
    payload = jwt.verify(token, settings.secret, { algorithms: ['HS256'], issuer: settings.issuer });
  } catch {
    throw new UnauthorizedError('The access token is invalid or expired');
  }
  if (typeof payload === 'string' || !isLinliPayload(payload)) {
    throw new UnauthorizedError('The access token lacks the claims Linli needs');
  }
  return {
    sub: payload.sub,
    roles: payload['roles'] as Role[],
    jurisdiction: payload['jurisdiction'] as string,
    ...(typeof payload['providerId'] === 'string' ? { providerId: payload['providerId'] } : {}),
    ...(typeof payload['name'] === 'string' ? { name: payload['name'] } : {}),
    ...(typeof payload['sid'] === 'string' ? { sid: payload['sid'] } : {}),
    ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
  };
}

function isLinliPayload(payload: jwt.JwtPayload): payload is jwt.JwtPayload & { sub: string } {
  const roles = payload['roles'];
  return (
    typeof payload.sub === 'string' &&
    payload.sub.length > 0 &&
    Array.isArray(roles) &&
    roles.length > 0 &&
    roles.every((role) => (ROLES as readonly unknown[]).includes(role) && role !== 'system') &&
    typeof payload['jurisdiction'] === 'string' &&
    JURISDICTION.test(payload['jurisdiction'])
  );
}
