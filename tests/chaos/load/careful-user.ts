// A user of the platform as the chaos load plays them: signed in at the gateway, calling /api/<service>/... with
// their token, and careful the way a real client is through faults: a network error, a 5xx, a 429 or a 502/503/504
// is tried again with the same body and the same Idempotency-Key, backing off from 0.25 s doubling to 5 s, for at
// most RETRY_FOR_MS; any other answer (2xx, 4xx: 409 "already done", 404, 422) is returned to the caller to read.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHAOS_DIR } from '../support/platform';

/** A reply as the load reads it: JSON whose shape each caller states. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer {
  status: number;
  body: Json;
}

/** How long one request is retried through a fault before the load gives up on it (and says so). */
export const RETRY_FOR_MS = 180_000;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 5_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Statuses that say "try again later", not "this is the answer". */
export function isTransient(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** One HTTP request with JSON in and out; a network error is thrown. */
export async function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
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

/** `request` retried through transient failures; the last transient answer (or error) is thrown after the bound. */
export async function carefully(
  what: string,
  attempt: () => Promise<Answer>,
  retryForMs = RETRY_FOR_MS,
): Promise<Answer> {
  const giveUpAt = Date.now() + retryForMs;
  let backoff = FIRST_BACKOFF_MS;
  for (;;) {
    let problem: string;
    try {
      const answer = await attempt();
      if (!isTransient(answer.status)) return answer;
      problem = `${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`;
    } catch (error) {
      problem = (error as Error).message;
    }
    if (Date.now() + backoff > giveUpAt) throw new Error(`${what}: gave up after retries (${problem})`);
    await sleep(backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
}

export interface NewUser {
  username: string;
  displayName: string;
  roles: string[];
  jurisdiction: string;
  providerId?: string;
}

/** A signed-in user of the gateway; signs in again when its token is refused (expired, or a restarted gateway). */
export class GatewayUser {
  private token?: string;

  constructor(
    readonly gatewayUrl: string,
    readonly username: string,
    private readonly password: string,
  ) {}

  /** The token, signing in when there is none yet. */
  async accessToken(): Promise<string> {
    if (this.token) return this.token;
    const answer = await carefully(`sign-in of ${this.username}`, () =>
      request(
        `${this.gatewayUrl}/auth/login`,
        'POST',
        {},
        { username: this.username, password: this.password },
      ),
    );
    if (answer.status !== 200)
      throw new Error(`${this.username} could not sign in: ${answer.status} ${JSON.stringify(answer.body)}`);
    this.token = (answer.body as { accessToken: string }).accessToken;
    return this.token;
  }

  /**
   * A call to `/api/<service>/<path>` (or any gateway path starting with `/`), retried through faults; a create
   * carries `idempotencyKey`, the same on every try.
   */
  async call(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Answer> {
    return carefully(`${this.username} ${method} ${path}`, async () => {
      const headers: Record<string, string> = { authorization: `Bearer ${await this.accessToken()}` };
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      const answer = await request(`${this.gatewayUrl}${path}`, method, headers, body);
      if (answer.status === 401) {
        this.token = undefined; // signed in again on the next try
        return { status: 503, body: 'token refused: signing in again' };
      }
      return answer;
    });
  }

  /** Like `call`, direct to a service instance (the checker's reads), with this user's token. */
  async callService(baseUrl: string, method: string, path: string): Promise<Answer> {
    return carefully(`${this.username} ${method} ${baseUrl}${path}`, async () => {
      const answer = await request(`${baseUrl}${path}`, method, {
        authorization: `Bearer ${await this.accessToken()}`,
      });
      if (answer.status === 401) {
        this.token = undefined;
        return { status: 503, body: 'token refused: signing in again' };
      }
      return answer;
    });
  }
}

/** Creates the user through the gateway's admin API as `admin`; an existing one (409) is left as it is. */
export async function ensureUser(admin: GatewayUser, user: NewUser, password: string): Promise<void> {
  const answer = await admin.call('POST', '/users', { ...user, password });
  if (answer.status !== 201 && answer.status !== 409)
    throw new Error(`user ${user.username} not created: ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** Every page of a list endpoint answering `{ items, total }` (page/pageSize query). */
export async function allPages(
  read: (path: string) => Promise<Answer>,
  path: string,
  pageSize = 100,
): Promise<Json[]> {
  const items: Json[] = [];
  for (let page = 1; ; page += 1) {
    const joiner = path.includes('?') ? '&' : '?';
    const answer = await read(`${path}${joiner}page=${page}&pageSize=${pageSize}`);
    if (answer.status !== 200)
      throw new Error(`GET ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    const pageItems = (answer.body.items ?? []) as Json[];
    items.push(...pageItems);
    if (pageItems.length < pageSize || items.length >= Number(answer.body.total ?? Infinity)) return items;
  }
}

/** Where a part keeps its ledger, so a check can be re-run from another process. */
export function ledgerPath(part: string): string {
  return join(CHAOS_DIR, `ledger-${part}.json`);
}

export function writeLedger(part: string, ledger: unknown): void {
  const path = ledgerPath(part);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(ledger, null, 2)}\n`);
}

export function readLedger<T>(part: string): T {
  return JSON.parse(readFileSync(ledgerPath(part), 'utf8')) as T;
}

/** A small seeded random source (mulberry32): the same plan seed plays the same day. */
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
