// Tokens at the edge: a request that carries a bearer token gets it verified here, before it reaches any service
// or the gateway's own routes, and is refused when the token is invalid or its session was revoked (signed out,
// password changed, refresh token reused). The services verify the token again themselves, but only the gateway
// knows about revocation: it is what makes "signed out" true within the access token's lifetime.
// A request without a token passes: the route decides (public routes exist: Open311, the SMS acknowledgement link).
import type { LinliClaims } from '@linli/auth';
import { UnauthorizedError } from '@linli/platform';

const BEARER = /^Bearer ([A-Za-z0-9._-]+)$/;

export interface EdgeTokenChecks {
  /** The claims of a valid token, or UnauthorizedError (libs/auth's verifier: the built-in issuer or OIDC). */
  verify(token: string): Promise<LinliClaims>;
  /** Whether the session (sid) the token belongs to was revoked. */
  isRevoked(sid: string): Promise<boolean>;
}

/** What the edge knows of the caller: a verified token's claims, or why it refuses the request. */
export type EdgeCaller =
  { kind: 'anonymous' } | { kind: 'user'; claims: LinliClaims } | { kind: 'refused'; error: Error };

/**
 * The caller of a request from its Authorization header. Never throws: the refusal is answered after the rate
 * limit has counted the request (a flood of bad tokens is still a flood, counted against its address).
 */
export async function edgeCallerOf(
  authorization: string | string[] | undefined,
  checks: EdgeTokenChecks,
): Promise<EdgeCaller> {
  if (authorization === undefined || authorization === '') return { kind: 'anonymous' };
  const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null;
  // Some other scheme (Basic…) is none of the edge's business: the route refuses it if it wants a token.
  if (!match) {
    return typeof authorization === 'string' && !/^Bearer\b/i.test(authorization)
      ? { kind: 'anonymous' }
      : { kind: 'refused', error: new UnauthorizedError('The Authorization header is not a bearer token') };
  }
  try {
    const claims = await checks.verify(match[1] as string);
    // A token without a session (an external issuer's, a developer's from `npm run token`) has nothing to revoke.
    if (claims.sid !== undefined && (await checks.isRevoked(claims.sid))) {
      return { kind: 'refused', error: new UnauthorizedError('This session has ended; sign in again') };
    }
    return { kind: 'user', claims };
  } catch (error) {
    // A 503 (the OIDC issuer's keys unreachable, Redis and MongoDB both down) stays a 503: the token may be fine.
    return { kind: 'refused', error: error as Error };
  }
}
