// The gateway's edge as a process in front of a small fake service (this test's own HTTP server, which records what
// reaches it): routing with method, query, body and headers; live streams; a service down or slow; tokens checked
// and signed-out sessions refused; rate limits per user, per address and on sign-in; body limits; CORS; security
// headers; the console with its Content-Security-Policy. Each caller without a token calls from its own loopback
// address (127.0.0.x), so the per-address counts of one test never spill into another's.
import { DEV_TOKEN_SETTINGS, signToken } from '@linli/auth';
import { freePort, startService, tokenFor, type ServiceProcess } from '@linli/testing';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const UPSTREAM_TIMEOUT_MS = 400;
const BODY_LIMIT_BYTES = 4096;
const PER_USER = 5;
const PER_ADDRESS = 8;
const SIGN_IN_PER_ADDRESS = 3;
const ALLOWED_ORIGIN = 'https://console.example.gov.cn';
const ADMIN_PASSWORD = 'edge-admin-password-2026';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** The fake service: echoes what it got, answers a given status, never answers, or streams server-sent events. */
class FakeService {
  readonly seen: Seen[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** Releases the open event stream's last event (the test says when). */
  releaseStream?: () => void;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const seen = { method: request.method ?? '', url: request.url ?? '', headers: request.headers };
        this.seen.push({ ...seen, body: Buffer.concat(chunks) });
        const path = (request.url ?? '').split('?')[0] ?? '';
        if (path === '/slow') return; // never answers
        if (path === '/inbox/stream-forever') {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write(': connected\n\n');
          return; // never ends
        }
        if (path === '/inbox/stream') {
          response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          response.write('event: unread\ndata: {"unread":1}\n\n');
          this.releaseStream = () => response.end('event: unread\ndata: {"unread":2}\n\n');
          return;
        }
        const status = /^\/status\/(\d{3})$/.exec(path);
        if (status) {
          response.writeHead(Number(status[1]), { 'content-type': 'application/problem+json' });
          response.end(JSON.stringify({ status: Number(status[1]), detail: 'as the service said' }));
          return;
        }
        response.writeHead(201, {
          'content-type': 'application/json',
          location: '/things/1',
          'x-from-service': 'yes',
          'keep-alive': 'timeout=5',
          connection: 'keep-alive, x-hop',
          'x-hop': 'for this connection only',
        });
        response.end(JSON.stringify({ ok: true }));
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  last(): Seen {
    const seen = this.seen.at(-1);
    if (!seen) throw new Error('nothing reached the fake service');
    return seen;
  }
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

let addresses = 1;
/** A loopback address of its own (127.0.0.2, .3 …): a caller the per-address limit counts apart. */
function newAddress(): string {
  addresses += 1;
  return `127.0.0.${addresses}`;
}

let gateway: ServiceProcess;
const fake = new FakeService();

/** One request to the gateway, from `from` (a loopback address), body as given (a string or JSON). */
function send(
  method: string,
  path: string,
  options: { from?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string' || Buffer.isBuffer(options.body)
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string | number> = { ...options.headers };
  if (body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${gateway.url}${path}`, {
      method,
      headers,
      localAddress: options.from ?? '127.0.0.1',
      agent: false,
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
      });
    });
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

const bearer = (sub: string, role: 'operator' | 'supervisor' = 'operator') => ({
  authorization: `Bearer ${tokenFor(role, '320106', { sub })}`,
});

beforeAll(async () => {
  await fake.start();
  // Nothing listens there: the service is down.
  const downUrl = `http://127.0.0.1:${await freePort()}`;
  gateway = await startService({
    name: 'gateway',
    env: {
      RESIDENT_REQUESTS_URL: fake.url,
      NOTIFICATIONS_URL: fake.url,
      DISPATCH_URL: downUrl,
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      RATE_LIMIT_PER_USER_PER_MINUTE: String(PER_USER),
      RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(PER_ADDRESS),
      LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(SIGN_IN_PER_ADDRESS),
      CORS_ORIGINS: ALLOWED_ORIGIN,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    },
    readyTimeoutMs: 90_000,
  });
});

afterAll(async () => {
  await gateway?.stop();
  await fake.stop();
});

describe('routes to the services', () => {
  it('passes method, path, query string, body and end-to-end headers on, and the answer back', async () => {
    const from = newAddress();
    const token = bearer('op-proxy');
    const body = JSON.stringify({ description: '厨房水龙头漏水', floor: 5 });
    const answer = await send(
      'POST',
      '/api/resident-requests/tickets/t-1/notes?q=%E6%BC%8F%E6%B0%B4&page=2',
      {
        from,
        body,
        headers: {
          ...token,
          traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
          'x-correlation-id': 'edge-test-correlation-1',
          // Forged by the caller: the gateway writes the address it saw instead.
          'x-forwarded-for': '203.0.113.9',
          // Hop-by-hop: dropped, with the header the Connection header names.
          connection: 'keep-alive, x-for-the-gateway',
          'x-for-the-gateway': 'not for the service',
        },
      },
    );

    expect(answer.status).toBe(201);
    expect(answer.json).toEqual({ ok: true });
    expect(answer.headers['location']).toBe('/things/1');
    expect(answer.headers['x-from-service']).toBe('yes');
    expect(answer.headers['x-hop']).toBeUndefined();
    expect(answer.headers['x-correlation-id']).toBe('edge-test-correlation-1');

    const seen = fake.last();
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/tickets/t-1/notes?q=%E6%BC%8F%E6%B0%B4&page=2');
    expect(seen.body.toString('utf8')).toBe(body);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['authorization']).toBe(token.authorization);
    expect(seen.headers['traceparent']).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(seen.headers['x-correlation-id']).toBe('edge-test-correlation-1');
    expect(seen.headers['x-forwarded-for']).toBe(from);
    expect(seen.headers['x-for-the-gateway']).toBeUndefined();
  });

  it('gives a request without a token a correlation id, and passes it on without a token (the service decides)', async () => {
    const answer = await send('GET', '/api/resident-requests/open311/v2/services.json', {
      from: newAddress(),
    });

    expect(answer.status).toBe(201);
    const seen = fake.last();
    expect(seen.url).toBe('/open311/v2/services.json');
    expect(seen.headers['authorization']).toBeUndefined();
    expect(seen.headers['x-correlation-id']).toBe(answer.headers['x-correlation-id']);
  });

  it("passes the service's own error answers on unchanged", async () => {
    const answer = await send('GET', '/api/resident-requests/status/409', { from: newAddress() });

    expect(answer.status).toBe(409);
    expect(answer.json).toEqual({ status: 409, detail: 'as the service said' });
  });

  it('streams server-sent events as they come, with no time limit', async () => {
    const events = await new Promise<string>((resolve, reject) => {
      const request = httpRequest(`${gateway.url}/api/notifications/inbox/stream`, {
        headers: { accept: 'text/event-stream', ...bearer('op-stream') },
        agent: false,
      });
      request.on('response', (response) => {
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toBe('text/event-stream');
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          // The first event arrives while the service still holds the stream open: streamed, not buffered. The
          // service sends the last one only after longer than the answer time limit.
          if (text.includes('"unread":1') && !text.includes('"unread":2')) {
            setTimeout(() => fake.releaseStream?.(), UPSTREAM_TIMEOUT_MS * 2);
          }
        });
        response.on('end', () => resolve(text));
      });
      request.on('error', reject);
      request.end();
    });

    expect(events).toBe('event: unread\ndata: {"unread":1}\n\nevent: unread\ndata: {"unread":2}\n\n');
  });

  it('answers 503 problem+json when the service cannot be reached', async () => {
    const answer = await send('GET', '/api/dispatch/jobs/offered', { from: newAddress() });

    expect(answer.status).toBe(503);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json).toMatchObject({
      status: 503,
      service: 'dispatch',
      instance: '/api/dispatch/jobs/offered',
    });
  });

  it('answers 504 problem+json when the service is slower than UPSTREAM_TIMEOUT_MS', async () => {
    const answer = await send('GET', '/api/resident-requests/slow', { from: newAddress() });

    expect(answer.status).toBe(504);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.json).toMatchObject({ status: 504, service: 'resident-requests' });
  });

  it('answers 404 problem+json for a service it does not know', async () => {
    const answer = await send('GET', '/api/billing/invoices', { from: newAddress() });

    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ status: 404, resource: 'service', id: 'billing' });
  });

  it("keeps a service's metrics inside the platform (404, never sent on)", async () => {
    for (const path of ['/api/dispatch/metrics', '/api/dispatch/%6detrics/']) {
      const answer = await send('GET', path, { from: newAddress() });
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('tokens at the edge', () => {
  it.each([
    [
      'signed with another key',
      signToken(
        { sub: 'x', roles: ['admin'], jurisdiction: '32' },
        { secret: 'another-secret-of-16+', issuer: DEV_TOKEN_SETTINGS.issuer },
      ),
    ],
    ['expired', signToken({ sub: 'x', roles: ['admin'], jurisdiction: '32' }, DEV_TOKEN_SETTINGS, -60)],
    [
      'unsigned (alg none)',
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', roles: ['admin'], jurisdiction: '32', iss: DEV_TOKEN_SETTINGS.issuer, exp: Math.floor(Date.now() / 1000) + 600 })}.`,
    ],
  ])('refuses a token %s with 401 problem+json, before any service sees it', async (_what, token) => {
    const before = fake.seen.length;
    const answer = await send('GET', '/api/resident-requests/tickets', {
      from: newAddress(),
      headers: { authorization: `Bearer ${token}` },
    });

    expect(answer.status).toBe(401);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect(answer.headers['x-correlation-id']).toBe(answer.json.correlationId);
    expect(fake.seen.length).toBe(before);
  });

  it("refuses a signed-out session's access token, on the services' routes and its own", async () => {
    const from = newAddress();
    const login = await send('POST', '/auth/login', {
      from,
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(login.status).toBe(200);
    const token = { authorization: `Bearer ${login.json.accessToken}` };
    expect((await send('GET', '/api/resident-requests/tickets', { from, headers: token })).status).toBe(201);

    expect((await send('POST', '/auth/logout', { from, headers: token })).status).toBe(204);

    const before = fake.seen.length;
    const routed = await send('GET', '/api/resident-requests/tickets', { from, headers: token });
    expect(routed.status).toBe(401);
    expect(routed.json).toMatchObject({ status: 401 });
    expect(fake.seen.length).toBe(before);
    expect((await send('GET', '/me', { from, headers: token })).status).toBe(401);
  });
});

describe('rate limits', () => {
  it('refuses the request past the per-user limit with 429 and Retry-After; another user goes on', async () => {
    const from = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < PER_USER + 1; i++) {
      statuses.push(
        (await send('GET', '/api/resident-requests/tickets', { from, headers: bearer('op-flood') })).status,
      );
    }
    const refused = await send('GET', '/api/resident-requests/tickets', {
      from,
      headers: bearer('op-flood'),
    });
    const other = await send('GET', '/api/resident-requests/tickets', { from, headers: bearer('op-calm') });

    expect(statuses).toEqual([...Array(PER_USER).fill(201), 429]);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json).toMatchObject({ status: 429, type: 'urn:linli:problem:rate-limited' });
    expect(other.status).toBe(201);
  });

  it('counts callers without a token per address', async () => {
    const from = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) {
      statuses.push((await send('GET', '/api/resident-requests/open311/v2/services.json', { from })).status);
    }
    const elsewhere = await send('GET', '/api/resident-requests/open311/v2/services.json', {
      from: newAddress(),
    });

    expect(statuses).toEqual([...Array(PER_ADDRESS).fill(201), 429]);
    expect(elsewhere.status).toBe(201);
  });

  it('limits sign-in attempts per address more strictly', async () => {
    const from = newAddress();
    const attempt = () =>
      send('POST', '/auth/login', { from, body: { username: 'nobody-here', password: 'not-the-password' } });
    const statuses: number[] = [];
    for (let i = 0; i < SIGN_IN_PER_ADDRESS + 1; i++) statuses.push((await attempt()).status);

    expect(statuses).toEqual([...Array(SIGN_IN_PER_ADDRESS).fill(401), 429]);
    // The address's other requests have their own (larger) allowance.
    expect((await send('GET', '/api/resident-requests/open311/v2/services.json', { from })).status).toBe(201);
  });
});

describe('request size', () => {
  it('refuses a body over BODY_LIMIT_BYTES with 413 problem+json before it reaches the service', async () => {
    const before = fake.seen.length;
    const big = JSON.stringify({ description: 'x'.repeat(BODY_LIMIT_BYTES) });
    const declared = await send('POST', '/api/resident-requests/tickets', { from: newAddress(), body: big });
    const chunked = await send('POST', '/api/resident-requests/imports', {
      from: newAddress(),
      body: 'a,b\n'.repeat(BODY_LIMIT_BYTES),
      headers: { 'content-type': 'text/csv', 'transfer-encoding': 'chunked' },
    });
    const own = await send('POST', '/auth/login', { from: newAddress(), body: big });

    for (const answer of [declared, chunked, own]) {
      expect(answer.status).toBe(413);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(fake.seen.length).toBe(before);
  });
});

describe('browsers', () => {
  it('answers a CORS preflight from an allowed origin, and not from another', async () => {
    const preflight = (origin: string) =>
      send('OPTIONS', '/api/resident-requests/tickets', {
        from: newAddress(),
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
    const allowed = await preflight(ALLOWED_ORIGIN);
    const other = await preflight('https://elsewhere.example');

    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers['access-control-allow-methods']).toContain('POST');
    expect(allowed.headers['access-control-allow-headers']).toContain('authorization');
    expect(allowed.headers['access-control-allow-headers']).toContain('idempotency-key');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await send('GET', '/api/resident-requests/tickets', {
      from: newAddress(),
      headers: { origin: ALLOWED_ORIGIN },
    });
    expect(simple.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(simple.headers['access-control-expose-headers']).toContain('x-correlation-id');
  });

  it('sets the security headers on routed answers and on its own', async () => {
    const from = newAddress();
    for (const answer of [
      await send('GET', '/api/resident-requests/tickets', { from }),
      await send('GET', '/health/live', { from }),
    ]) {
      expect(answer.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('serves the console at / with a Content-Security-Policy allowing only its own scripts', async () => {
    const from = newAddress();
    const page = await send('GET', '/', { from });
    const script = await send('GET', '/js/app.js', { from });

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="zh-CN">');
    // No inline script: every <script> element loads a file.
    expect(page.text.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="js/app.js">']);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.text).toContain('signIn');
  });
});

describe('shutdown', () => {
  it('cuts open live streams instead of waiting for them, and exits cleanly', async () => {
    // Wrapped: a promise resolved with a promise would wait for it.
    const { ended } = await new Promise<{ ended: Promise<void> }>((resolve, reject) => {
      const request = httpRequest(`${gateway.url}/api/notifications/inbox/stream-forever`, {
        headers: { accept: 'text/event-stream' },
        localAddress: newAddress(),
        agent: false,
      });
      request.on('response', (response) => {
        // Connected: now the stream is open at the gateway, with nothing to end it.
        resolve({ ended: new Promise<void>((done) => response.once('close', done).resume()) });
      });
      request.on('error', reject);
      request.end();
    });

    // Nest's shutdown hooks end by raising SIGTERM again: that is the graceful exit. A gateway still waiting for the
    // stream would be killed (SIGKILL) when the wait runs out.
    await gateway.stop(15_000);
    expect(gateway.process.signalCode).toBe('SIGTERM');
    await ended;
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
