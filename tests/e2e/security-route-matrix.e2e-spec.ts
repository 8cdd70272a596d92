// Function-level authorization (OWASP API5): every route of every service, read from its OpenAPI document, called
// with no token and with a token of every role, and each answer held against the hand-written policy
// (security/route-policy.ts). A route the policy does not know, or a policy entry whose route is gone, fails too.
// The gateway is called directly, as a service: its edge (/api/<service>/...) is not in its document, and forwards
// to the routes walked here. The services are configured with an external OIDC issuer too (a key set served by this
// test), so the same start also shows every one of them verifying that issuer's tokens.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { tokenFor, type ServiceProcess } from '@linli/testing';
import { startServices } from './support/linli';
import {
  ROUTE_POLICY,
  TOKEN_ROLES,
  type Allowed,
  type PolicedService,
  type TokenRole,
} from './security/route-policy';

const SERVICES = Object.keys(ROUTE_POLICY) as PolicedService[];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** Requests in flight at once: enough to keep the run short, few enough for two cores and six services. */
const CONCURRENCY = 24;
/** Tokens carry the province: the matrix is about roles, not jurisdictions (the object-level tests are). */
const PROVINCE = '32';
/** What every path parameter becomes: an id that names nothing. */
const PLACEHOLDER = 'X1';

interface Operation {
  'x-linli-roles'?: TokenRole[];
  'x-linli-public'?: boolean;
}
interface OpenApiDocument {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

/** `METHOD /path` of every operation of a document, with what the document says of its roles. */
function operationsOf(document: OpenApiDocument): Map<string, Allowed> {
  const operations = new Map<string, Allowed>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      // The guard's order: a public route is public whatever roles its controller names.
      const documented: Allowed = operation['x-linli-public']
        ? 'public'
        : (operation['x-linli-roles'] ?? TOKEN_ROLES);
      operations.set(`${method.toUpperCase()} ${path}`, documented);
    }
  }
  return operations;
}

const sameRoles = (a: Allowed, b: Allowed) =>
  a === 'public' || b === 'public' ? a === b : a.length === b.length && a.every((role) => b.includes(role));

const describeAllowed = (allowed: Allowed) => (allowed === 'public' ? 'public' : allowed.join(','));

const OIDC_ISSUER = 'https://id.example.gov.cn/realms/linli';
const OIDC_AUDIENCE = 'linli';
const OIDC_KID = 'matrix-key';

/** A token of the external issuer, signed with `key` under the published kid. */
function oidcToken(key: CryptoKey, role: TokenRole): Promise<string> {
  return new SignJWT({ roles: [role], jurisdiction: PROVINCE })
    .setProtectedHeader({ alg: 'RS256', kid: OIDC_KID })
    .setSubject(`oidc-${role}`)
    .setIssuer(OIDC_ISSUER)
    .setAudience(OIDC_AUDIENCE)
    .setExpirationTime('10m')
    .sign(key);
}

/** The issuer's key set, served on a free port of this machine. */
async function serveKeySet(keys: JWK[]): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`, server };
}

/** Runs `work` over `items`, `limit` at a time. */
async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

describe('route-by-role matrix (function-level authorization)', () => {
  let services: Record<PolicedService, ServiceProcess>;
  let keySet: { url: string; server: Server } | undefined;
  let issuerKey: CryptoKey;
  let strangerKey: CryptoKey;
  const documents = new Map<PolicedService, Map<string, Allowed>>();
  const tokens = Object.fromEntries(
    TOKEN_ROLES.map((role) => [
      role,
      tokenFor(role, PROVINCE, {
        sub: `matrix-${role}`,
        // A provider or mediator user acts for a provider; one that exists nowhere.
        ...(role === 'provider' || role === 'mediator' ? { providerId: PLACEHOLDER } : {}),
      }),
    ]),
  ) as Record<TokenRole, string>;

  beforeAll(async () => {
    const [issuer, stranger] = await Promise.all([generateKeyPair('RS256'), generateKeyPair('RS256')]);
    issuerKey = issuer.privateKey;
    strangerKey = stranger.privateKey;
    keySet = await serveKeySet([
      { ...(await exportJWK(issuer.publicKey)), kid: OIDC_KID, alg: 'RS256', use: 'sig' },
    ]);
    const started = await startServices(SERVICES, {
      AUTH_OIDC_ISSUER: OIDC_ISSUER,
      AUTH_OIDC_JWKS_URI: keySet.url,
      AUTH_OIDC_AUDIENCE: OIDC_AUDIENCE,
    });
    services = Object.fromEntries(started.map((service) => [service.name, service])) as typeof services;
    await Promise.all(
      SERVICES.map(async (name) => {
        const response = await fetch(`${services[name].url}/docs/json`);
        documents.set(name, operationsOf((await response.json()) as OpenApiDocument));
      }),
    );
  });
  afterAll(async () => {
    await Promise.all(Object.values(services ?? {}).map((service) => service.stop()));
    keySet?.server.close();
  });

  it('lists every documented route in the policy, and every policy entry is a documented route', () => {
    const unlisted: string[] = [];
    const gone: string[] = [];
    for (const name of SERVICES) {
      const documented = documents.get(name) as Map<string, Allowed>;
      const policy: Record<string, Allowed> = ROUTE_POLICY[name];
      for (const route of documented.keys()) if (!(route in policy)) unlisted.push(`${name} ${route}`);
      for (const route of Object.keys(policy)) if (!documented.has(route)) gone.push(`${name} ${route}`);
    }
    expect({ unlisted, gone }).toEqual({ unlisted: [], gone: [] });
  });

  it('documents the roles the policy gives (x-linli-roles, x-linli-public)', () => {
    const differing: string[] = [];
    for (const name of SERVICES) {
      const policy: Record<string, Allowed> = ROUTE_POLICY[name];
      for (const [route, documented] of documents.get(name) as Map<string, Allowed>) {
        const allowed = policy[route];
        if (allowed && !sameRoles(allowed, documented)) {
          differing.push(
            `${name} ${route}: documented ${describeAllowed(documented)}, policy ${describeAllowed(allowed)}`,
          );
        }
      }
    }
    expect(differing).toEqual([]);
  });

  it.each(SERVICES)(
    '%s answers no token with 401, a role outside the policy with 403, and never refuses one inside',
    async (name) => {
      const policy: Record<string, Allowed> = ROUTE_POLICY[name];
      const routes = [...(documents.get(name) as Map<string, Allowed>).keys()].filter(
        (route) => route in policy,
      );
      const calls = routes.flatMap((route) => [undefined, ...TOKEN_ROLES].map((role) => ({ route, role })));
      const answers = await inPool(calls, CONCURRENCY, async ({ route, role }) => {
        const [method, path] = route.split(' ') as [string, string];
        const headers: Record<string, string> = {};
        if (role) headers['authorization'] = `Bearer ${tokens[role]}`;
        if (WITH_BODY.has(method)) headers['content-type'] = 'application/json';
        const response = await fetch(services[name].url + path.replace(/\{[^}]+\}/g, PLACEHOLDER), {
          method,
          headers,
          ...(WITH_BODY.has(method) ? { body: '{}' } : {}),
        });
        // Only the status matters; a live stream (the inbox's) would never end.
        await response.body?.cancel();
        return { route, role, status: response.status };
      });

      const wrong = answers
        .filter(({ route, role, status }) => {
          const allowed = policy[route] as Allowed;
          const admitted = allowed === 'public' || (role !== undefined && allowed.includes(role));
          if (admitted) return status === 401 || status === 403;
          return status !== (role === undefined ? 401 : 403);
        })
        .map(
          ({ route, role, status }) =>
            `${route} as ${role ?? 'no token'}: ${status} (policy: ${describeAllowed(policy[route] as Allowed)})`,
        );
      expect(wrong).toEqual([]);
    },
  );

  it('every service accepts a token of the OIDC issuer, and refuses one signed with another key under its kid', async () => {
    const [genuine, forged] = await Promise.all([
      oidcToken(issuerKey, 'admin'),
      oidcToken(strangerKey, 'admin'),
    ]);
    const answers = await Promise.all(
      SERVICES.map(async (name) => {
        // A route for admins that takes no body: any GET whose policy names admin.
        const policy: Record<string, Allowed> = ROUTE_POLICY[name];
        const route = Object.keys(policy).find(
          (entry) =>
            entry.startsWith('GET ') && policy[entry] !== 'public' && policy[entry]?.includes('admin'),
        ) as string;
        const url = services[name].url + route.slice('GET '.length).replace(/\{[^}]+\}/g, PLACEHOLDER);
        const [accepted, refused] = await Promise.all(
          [genuine, forged].map((token) =>
            fetch(url, { headers: { authorization: `Bearer ${token}` } }).then((response) => response.status),
          ),
        );
        return { name, route, accepted: accepted !== 401 && accepted !== 403, refused };
      }),
    );
    expect(answers.filter((answer) => !answer.accepted || answer.refused !== 401)).toEqual([]);
  });
});
