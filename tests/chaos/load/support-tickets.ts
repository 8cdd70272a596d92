// What the tickets and visits parts of the chaos day share: a careful client of the gateway (signs in, retries a
// failed request with backoff and the same Idempotency-Key, reads a 4xx as an answer), users created through the
// gateway's admin API, the ledger of intents on disk, a seeded random, and actor loops that stop when told.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CHAOS_DIR } from '../support/platform';

// A reply body as the load reads it: JSON whose shape each caller states where it reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  body: Json;
}

export interface Session {
  username: string;
  password: string;
  userId?: string;
  token?: string;
}

export interface RequestOptions {
  body?: unknown;
  idempotencyKey?: string;
  /** How long failures (network, 5xx, 429) are retried; 0: one try. Default 180 s, as a careful client. */
  retryForMs?: number;
}

export const GULOU = '320106';
/** Communities of 宁海路街道 (Gulou), where the day's callers live. */
export const NINGHAI_ROAD_COMMUNITIES = [
  '320106001003',
  '320106001004',
  '320106001005',
  '320106001007',
  '320106001008',
];
/** 仙霞路社区's elders' homes are here (a check-in ~20 m away is near). */
export const ELDER_HOME = { lat: 32.0565, lng: 118.7694 };

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** True for answers a careful client tries again: the service was unreachable, overloaded or failing. */
export function isRetriable(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/** The gateway as users reach it: one base URL, sessions signed in with a password. */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    readonly log: (message: string) => void = () => undefined,
  ) {}

  async signIn(session: Session): Promise<void> {
    const reply = await this.raw('POST', '/auth/login', undefined, {
      username: session.username,
      password: session.password,
    });
    if (reply.status !== 200) throw new Error(`${session.username} not signed in: ${reply.status}`);
    session.token = reply.body.accessToken as string;
    session.userId = reply.body.user?.userId as string | undefined;
  }

  /**
   * One user action: retried on failures with backoff 0.25 s doubling to 5 s for `retryForMs`, the same
   * Idempotency-Key each time; a 401 signs in again. The last answer is returned (status 0: never reached).
   */
  async request(
    session: Session,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<Reply> {
    const until = Date.now() + (options.retryForMs ?? 180_000);
    let backoff = 250;
    for (;;) {
      let reply: Reply;
      try {
        if (!session.token) await this.signIn(session);
        reply = await this.raw(method, path, session.token, options.body, options.idempotencyKey);
        if (reply.status === 401) {
          session.token = undefined;
          await this.signIn(session);
          reply = await this.raw(method, path, session.token, options.body, options.idempotencyKey);
        }
      } catch (error) {
        reply = { status: 0, body: { error: (error as Error).message } };
      }
      if (!isRetriable(reply.status) || Date.now() + backoff > until) return reply;
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 5_000);
    }
  }

  private async raw(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  }
}

/** Creates a gateway user as the bootstrap admin; an existing one (409) is left alone (prepare is idempotent). */
export async function ensureUser(
  gateway: GatewayClient,
  admin: Session,
  user: { username: string; roles: string[]; jurisdiction: string; providerId?: string; password: string },
): Promise<void> {
  const reply = await gateway.request(admin, 'POST', '/users', {
    body: { displayName: `${user.username} (chaos)`, ...user },
  });
  if (reply.status !== 201 && reply.status !== 409)
    throw new Error(`user ${user.username} not created: ${reply.status} ${JSON.stringify(reply.body)}`);
}

/** mulberry32: the same seed plays the same day. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable fraction in [0, 1) of a string: an actor's decision about one offer, the same on every poll. */
export function fractionOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return (hash >>> 0) / 4294967296;
}

/** Runs `step` every `intervalMs` until `signal` aborts; a failing step is a missed poll, never a crash. */
export async function everyUntil(
  signal: AbortSignal,
  intervalMs: number,
  step: () => Promise<void>,
): Promise<void> {
  while (!signal.aborted) {
    try {
      await step();
    } catch {
      // the next poll tries again
    }
    await sleep(intervalMs);
  }
}

export function ledgerPath(part: string): string {
  return join(CHAOS_DIR, `ledger-${part}.json`);
}

export function saveLedger(part: string, ledger: unknown): void {
  mkdirSync(CHAOS_DIR, { recursive: true });
  writeFileSync(ledgerPath(part), JSON.stringify(ledger, null, 1));
}

export function loadLedger<T>(part: string): T | undefined {
  const file = ledgerPath(part);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/** A run's id: lowercase (usernames), short, different on every run on the same platform. */
export function runIdOf(seed: number): string {
  return `${(seed % 1296).toString(36)}${Date.now().toString(36).slice(-6)}`;
}

/** Direct reads of one service for the checker: the first instance, with a staff token from the gateway. */
export async function serviceRead(
  baseUrl: string,
  session: Session,
  gateway: GatewayClient,
  path: string,
): Promise<Reply> {
  if (!session.token) await gateway.signIn(session);
  const get = () =>
    fetch(baseUrl + path, { headers: { authorization: `Bearer ${session.token}` } }).then(async (r) => ({
      status: r.status,
      body: (await r.json().catch(() => undefined)) as Json,
    }));
  let reply = await get();
  if (reply.status === 401) {
    await gateway.signIn(session);
    reply = await get();
  }
  return reply;
}
