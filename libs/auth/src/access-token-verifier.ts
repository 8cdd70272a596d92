// Verifying an access token, whoever issued it: the gateway's built-in (development) issuer, HS256 with the shared
// secret, or an external OIDC issuer (a province's identity system) through the public keys of its JWKS. Used by
// every service's AuthGuard and by the gateway's edge, so both refuse the same tokens for the same reasons.
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ROLES } from '@linli/contracts';
import { DomainError, UnauthorizedError } from '@linli/platform';
import type { LinliClaims, Role } from './actor';
import { verifyToken, type TokenSettings } from './tokens';

/**
 * Asymmetric algorithms only: with an HMAC algorithm in the list, a token "signed" with the issuer's public key as
 * the shared secret would verify (algorithm confusion). EdDSA covers Ed25519 keys (JWK kty OKP).
 */
export const OIDC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export const OIDC_DEFAULTS = {
  /** Clocks of the issuer and the services may disagree a little; expiry is checked with this much slack. */
  CLOCK_TOLERANCE_SECONDS: 30,
  /** The key set is fetched again after this long even when every kid is known (keys are retired, not only added). */
  JWKS_CACHE_MAX_AGE_MS: 10 * 60 * 1000,
  /**
   * A token with an unknown kid makes the verifier fetch the key set again (the issuer rotated its keys), but at
   * most once per this interval: a flood of tokens with made-up kids must not become a flood of requests to the
   * issuer.
   */
  JWKS_COOLDOWN_MS: 30 * 1000,
  /** A key set fetch slower than this fails (503) rather than holding every request. */
  JWKS_TIMEOUT_MS: 5 * 1000,
} as const;

/** Where the Linli claims are in the external issuer's tokens (a claim name, or a dotted path into an object). */
export interface OidcClaimNames {
  roles: string;
  jurisdiction: string;
  providerId: string;
}

export interface OidcSettings {
  /** The issuer's `iss`, exactly as in its tokens. */
  issuer: string;
  jwksUri: string;
  /** When set, the token's `aud` must contain it. */
  audience?: string;
  claims: OidcClaimNames;
  clockToleranceSeconds?: number;
  jwksCacheMaxAgeMs?: number;
  jwksCooldownMs?: number;
  jwksTimeoutMs?: number;
}

export interface AccessTokenVerifierSettings {
  /** The built-in issuer; absent when disabled (production with an external issuer). */
  dev?: TokenSettings;
  /** The external OIDC issuer; absent when none is configured. */
  oidc?: OidcSettings;
}

const INVALID = 'The access token is invalid or expired';
const LACKS_CLAIMS = 'The access token lacks the claims Linli needs';
const JURISDICTION = /^[0-9]{2,12}$/;

/** The external issuer's keys could not be fetched: the token may be fine, so not a 401 that sends users to log in. */
export class TokenIssuerUnavailableError extends DomainError {
  readonly status = 503;
  readonly slug: string = 'token-issuer-unavailable';
  readonly title: string = 'The token issuer is unavailable';
}

export class AccessTokenVerifier {
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: AccessTokenVerifierSettings) {
    if (!settings.dev && !settings.oidc) {
      throw new Error('No token issuer is trusted: enable the built-in issuer or configure an OIDC issuer');
    }
    if (settings.oidc && settings.dev && settings.oidc.issuer === settings.dev.issuer) {
      // Which keys verify a token is decided by its `iss`: one name for two issuers would make that ambiguous.
      throw new Error('The OIDC issuer and the built-in issuer must have different names');
    }
    if (settings.oidc) {
      this.jwks = createRemoteJWKSet(new URL(settings.oidc.jwksUri), {
        cacheMaxAge: settings.oidc.jwksCacheMaxAgeMs ?? OIDC_DEFAULTS.JWKS_CACHE_MAX_AGE_MS,
        cooldownDuration: settings.oidc.jwksCooldownMs ?? OIDC_DEFAULTS.JWKS_COOLDOWN_MS,
        timeoutDuration: settings.oidc.jwksTimeoutMs ?? OIDC_DEFAULTS.JWKS_TIMEOUT_MS,
      });
    }
  }

  /** The claims of a valid token; UnauthorizedError for anything else (no detail that helps an attacker). */
  async verify(token: string): Promise<LinliClaims> {
    const { oidc, dev } = this.settings;
    // The unverified `iss` only picks the keys to verify with; the verification then checks `iss` again.
    if (oidc && this.jwks && unverifiedIssuer(token) === oidc.issuer) {
      return this.verifyOidc(token, oidc, this.jwks);
    }
    if (dev) return verifyToken(token, dev);
    throw new UnauthorizedError(INVALID);
  }

  private async verifyOidc(
    token: string,
    oidc: OidcSettings,
    jwks: ReturnType<typeof createRemoteJWKSet>,
  ): Promise<LinliClaims> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: oidc.issuer,
        ...(oidc.audience ? { audience: oidc.audience } : {}),
        algorithms: [...OIDC_ALGORITHMS],
        clockTolerance: oidc.clockToleranceSeconds ?? OIDC_DEFAULTS.CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      if (issuerUnreachable(error)) {
        throw new TokenIssuerUnavailableError('The keys of the token issuer could not be fetched');
      }
      throw new UnauthorizedError(INVALID);
    }
    return externalClaims(payload, oidc.claims);
  }
}

function unverifiedIssuer(token: string): string | undefined {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

/**
 * The key set could not be fetched (network error, timeout, an answer that is not a key set). A token whose kid is
 * not in a fetched set, or whose signature fails, is the token's fault and stays a 401.
 */
function issuerUnreachable(error: unknown): boolean {
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) return true;
  // fetch's own failures (connection refused, DNS) are TypeErrors; jose's "not 200 OK" is a bare JOSEError.
  if (error instanceof TypeError) return true;
  return error instanceof joseErrors.JOSEError && error.code === joseErrors.JOSEError.code;
}

/** A claim by its name, or, when no claim has that name, by a dotted path (`realm_access.roles`). */
function claimAt(payload: JWTPayload, name: string): unknown {
  if (name in payload) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The same rules as the built-in issuer's tokens: roles from Linli's list (never `system`, which only the platform
 * itself acts as), a jurisdiction of 2-12 digits (it becomes a regex prefix in queries). A roles claim carrying
 * anything else is refused rather than filtered: the issuer should send a claim made for Linli.
 */
function externalClaims(payload: JWTPayload, names: OidcClaimNames): LinliClaims {
  const roles = claimAt(payload, names.roles);
  const jurisdiction = claimAt(payload, names.jurisdiction);
  const providerId = claimAt(payload, names.providerId);
  const valid =
    typeof payload.sub === 'string' &&
    payload.sub.length > 0 &&
    Array.isArray(roles) &&
    roles.length > 0 &&
    roles.every((role) => (ROLES as readonly unknown[]).includes(role) && role !== 'system') &&
    typeof jurisdiction === 'string' &&
    JURISDICTION.test(jurisdiction) &&
    (providerId === undefined || (typeof providerId === 'string' && providerId.length > 0));
  if (!valid) throw new UnauthorizedError(LACKS_CLAIMS);
  return {
    sub: payload.sub as string,
    roles: roles as Role[],
    jurisdiction: jurisdiction as string,
    ...(typeof providerId === 'string' ? { providerId } : {}),
    ...(typeof payload['name'] === 'string' ? { name: payload['name'] } : {}),
    ...(typeof payload['sid'] === 'string' ? { sid: payload['sid'] } : {}),
    ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
  };
}
