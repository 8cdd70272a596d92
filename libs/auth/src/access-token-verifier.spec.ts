import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { ConfigValidationError, UnauthorizedError } from '@linli/platform';
import { AccessTokenVerifier, TokenIssuerUnavailableError, type OidcSettings } from './access-token-verifier';
import { AuthConfigSchema, DEV_TOKEN_SETTINGS, verifierSettingsFrom } from './auth.module';
import { signToken } from './tokens';
import { defineConfig } from '@linli/platform';

const ISSUER = 'https://id.js.gov.cn/realms/linli';
const AUDIENCE = 'linli';
const CLAIMS = { roles: ['operator'], jurisdiction: '320106', providerId: 'prv-1' };

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

async function signingKey(kid: string, alg = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    publicPem: await exportSPKI(publicKey),
  };
}

/** A token as the external issuer signs it; `override` changes claims or the header for the case at hand. */
function issue(
  key: SigningKey,
  override: { claims?: Record<string, unknown>; iss?: string; aud?: string; exp?: string | number } = {},
): Promise<string> {
  return new SignJWT({ ...CLAIMS, ...override.claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject('op-gulou')
    .setIssuer(override.iss ?? ISSUER)
    .setAudience(override.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(override.exp ?? '5m')
    .sign(key.privateKey);
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A token with any header, signed (or not) by hand: what an attacker can craft without the issuer's key. */
function craft(header: Record<string, unknown>, payload: Record<string, unknown>, hmacSecret?: string) {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = hmacSecret ? createHmac('sha256', hmacSecret).update(input).digest('base64url') : '';
  return `${input}.${signature}`;
}

const now = () => Math.floor(Date.now() / 1000);

/** The issuer's JWKS endpoint: serves `keys`, counts fetches, can be taken down. */
class JwksServer {
  keys: JWK[] = [];
  fetches = 0;
  failing = false;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((_request, response) => {
      this.fetches += 1;
      if (this.failing) {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/jwk-set+json' });
      response.end(JSON.stringify({ keys: this.keys }));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('AccessTokenVerifier with an OIDC issuer', () => {
  const jwks = new JwksServer();
  let jwksUri: string;
  let current: SigningKey;
  let other: SigningKey;
  /** A key the issuer never published, and the one it rotates to. */
  let stranger: SigningKey;
  let next: SigningKey;

  const oidc = (extra: Partial<OidcSettings> = {}): OidcSettings => ({
    issuer: ISSUER,
    jwksUri,
    audience: AUDIENCE,
    claims: { roles: 'roles', jurisdiction: 'jurisdiction', providerId: 'providerId' },
    ...extra,
  });
  const verifier = (extra: Partial<OidcSettings> = {}, dev = true) =>
    new AccessTokenVerifier({ oidc: oidc(extra), ...(dev ? { dev: DEV_TOKEN_SETTINGS } : {}) });

  beforeAll(async () => {
    jwksUri = await jwks.start();
    [current, other, stranger, next] = await Promise.all([
      signingKey('key-2026-11'),
      signingKey('key-2026-11'),
      signingKey('not-published'),
      signingKey('key-2026-12'),
    ]);
  });
  beforeEach(() => {
    jwks.keys = [current.publicJwk];
    jwks.fetches = 0;
    jwks.failing = false;
  });
  afterAll(() => jwks.stop());

  it('accepts a token signed with a key of the set, mapping the claims to Linli claims', async () => {
    await expect(verifier().verify(await issue(current))).resolves.toEqual({
      sub: 'op-gulou',
      roles: ['operator'],
      jurisdiction: '320106',
      providerId: 'prv-1',
    });
  });

  it('accepts ES256, PS256 and EdDSA keys, and reads claims by configured names and dotted paths', async () => {
    const keys = await Promise.all([
      signingKey('ec', 'ES256'),
      signingKey('ps', 'PS256'),
      signingKey('ed', 'EdDSA'),
    ]);
    jwks.keys = keys.map((key) => key.publicJwk);
    const custom = verifier({
      claims: { roles: 'realm_access.roles', jurisdiction: 'https://linli.gov.cn/xzqh', providerId: 'org' },
    });
    for (const key of keys) {
      const token = await issue(key, {
        claims: { realm_access: { roles: ['supervisor'] }, 'https://linli.gov.cn/xzqh': '3201' },
      });
      await expect(custom.verify(token)).resolves.toEqual({
        sub: 'op-gulou',
        roles: ['supervisor'],
        jurisdiction: '3201',
      });
    }
  });

  it.each([
    ['signed with another key under a known kid', () => issue(other)],
    ['from another issuer', () => issue(current, { iss: 'https://id.example.com' })],
    ['for another audience', () => issue(current, { aud: 'another-app' })],
    ['expired (beyond the clock tolerance)', () => issue(current, { exp: now() - 120 })],
    ['claiming the system role', () => issue(current, { claims: { roles: ['system'] } })],
    ['with a role Linli does not know', () => issue(current, { claims: { roles: ['operator', 'root'] } })],
    ['without roles', () => issue(current, { claims: { roles: [] } })],
    ['with a jurisdiction that is not a code', () => issue(current, { claims: { jurisdiction: '.*' } })],
    [
      'unsigned (alg none)',
      async () =>
        craft(
          { alg: 'none', typ: 'JWT' },
          { ...CLAIMS, sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 },
        ),
    ],
    [
      'HS256 with the public key as the secret (algorithm confusion)',
      async () =>
        craft(
          { alg: 'HS256', typ: 'JWT', kid: current.kid },
          { ...CLAIMS, sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 },
          current.publicPem,
        ),
    ],
    [
      'HS256 with the built-in secret but the OIDC issuer',
      async () =>
        craft(
          { alg: 'HS256', typ: 'JWT' },
          { ...CLAIMS, sub: 'x', iss: ISSUER, aud: AUDIENCE, exp: now() + 60 },
          DEV_TOKEN_SETTINGS.secret,
        ),
    ],
  ])('refuses a token %s', async (_, token) => {
    await expect(verifier().verify(await token())).rejects.toThrow(UnauthorizedError);
  });

  it('refuses a token of an unknown kid after fetching the key set again, once per cooldown', async () => {
    const subject = verifier();
    await subject.verify(await issue(current));
    expect(jwks.fetches).toBe(1);
    await expect(subject.verify(await issue(stranger))).rejects.toThrow(UnauthorizedError);
    // Within the cooldown (30 s by default) a flood of made-up kids costs the issuer no request.
    await expect(subject.verify(await issue(stranger))).rejects.toThrow(UnauthorizedError);
    expect(jwks.fetches).toBe(1);
  });

  it('follows a key rotation: a token of a newly published kid is accepted after one refetch', async () => {
    const subject = verifier({ jwksCooldownMs: 0 });
    await subject.verify(await issue(current));
    jwks.keys = [current.publicJwk, next.publicJwk];
    await expect(subject.verify(await issue(next))).resolves.toMatchObject({ sub: 'op-gulou' });
    expect(jwks.fetches).toBe(2);
    await expect(subject.verify(await issue(stranger))).rejects.toThrow(UnauthorizedError);
    expect(jwks.fetches).toBe(3);
  });

  it('answers 503, not 401, when the key set cannot be fetched', async () => {
    jwks.failing = true;
    const error = await verifier()
      .verify(await issue(current))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TokenIssuerUnavailableError);
    expect((error as TokenIssuerUnavailableError).status).toBe(503);
  });

  it('accepts built-in tokens beside the OIDC issuer, and refuses them when the built-in issuer is disabled', async () => {
    const devToken = signToken(
      { sub: 'op-1', roles: ['operator'], jurisdiction: '320106' },
      DEV_TOKEN_SETTINGS,
    );
    await expect(verifier().verify(devToken)).resolves.toMatchObject({ sub: 'op-1' });
    await expect(verifier({}, false).verify(devToken)).rejects.toThrow(UnauthorizedError);
    await expect(verifier({}, false).verify(await issue(current))).resolves.toMatchObject({
      sub: 'op-gulou',
    });
  });
});

describe('verifierSettingsFrom', () => {
  const config = (env: Record<string, string>) => defineConfig(AuthConfigSchema, env);

  it('refuses the public development secret in production, unless allowed explicitly', () => {
    const production = { NODE_ENV: 'production' };
    expect(() => verifierSettingsFrom(config({}), production)).toThrow(/AUTH_JWT_SECRET/);
    expect(verifierSettingsFrom(config({ AUTH_ALLOW_DEV_SECRET: 'true' }), production)).toEqual({
      dev: DEV_TOKEN_SETTINGS,
    });
    const own = { AUTH_JWT_SECRET: 'x'.repeat(40) };
    expect(verifierSettingsFrom(config(own), production)).toEqual({
      dev: { ...DEV_TOKEN_SETTINGS, secret: own.AUTH_JWT_SECRET },
    });
  });

  it('trusts the built-in issuer alone by default', () => {
    expect(verifierSettingsFrom(config({}))).toEqual({ dev: DEV_TOKEN_SETTINGS });
  });

  it('adds the OIDC issuer with the default claim names, and drops the built-in one when disabled', () => {
    expect(
      verifierSettingsFrom(
        config({
          AUTH_OIDC_ISSUER: ISSUER,
          AUTH_OIDC_JWKS_URI: 'https://id.js.gov.cn/certs',
          AUTH_DEV_ISSUER_ENABLED: 'false',
        }),
      ),
    ).toEqual({
      oidc: {
        issuer: ISSUER,
        jwksUri: 'https://id.js.gov.cn/certs',
        claims: { roles: 'roles', jurisdiction: 'jurisdiction', providerId: 'providerId' },
      },
    });
  });

  it.each([
    [{ AUTH_OIDC_ISSUER: ISSUER }],
    [{ AUTH_OIDC_JWKS_URI: 'https://id.js.gov.cn/certs' }],
    [{ AUTH_DEV_ISSUER_ENABLED: 'false' }],
    [{ AUTH_OIDC_ISSUER: 'linli-dev', AUTH_OIDC_JWKS_URI: 'https://id.js.gov.cn/certs' }],
  ])('refuses a configuration that trusts no issuer or an ambiguous one: %j', (env) => {
    expect(() => verifierSettingsFrom(config(env))).toThrow(ConfigValidationError);
  });
});
