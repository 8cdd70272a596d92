// Who a request counts against, and how many requests a minute that caller gets: a signed-in user by their user
// id (wherever they call from), anyone else by address, and sign-in attempts by address in a stricter bucket of
// their own (password guessing). Counted in Redis, so every gateway instance shares the same counts.
import type { GatewayConfig } from '../config';

export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Probes and scrapes come from the platform itself, often, and must never be refused for it. */
const UNLIMITED_PATHS = /^\/(health|metrics)(\/|$|\?)/;

export const SIGN_IN_PATH = '/auth/login';

export type RateLimitBucket = 'user' | 'address' | 'sign-in';

export interface RateLimitSubject {
  method: string;
  /** The path with its query string, as Fastify gives it. */
  url: string;
  /** The caller's address. */
  address: string;
  /** The user id of a verified token; undefined without one. */
  userId: string | undefined;
}

type Limits = Pick<
  GatewayConfig,
  | 'RATE_LIMIT_PER_USER_PER_MINUTE'
  | 'RATE_LIMIT_PER_ADDRESS_PER_MINUTE'
  | 'LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE'
>;

/** The bucket a request counts in, as a Redis key suffix (`user:op-gulou`, `address:10.0.0.7`, `sign-in:…`). */
export function rateLimitKey(subject: RateLimitSubject): string {
  const bucket = bucketOf(subject);
  return `${bucket}:${bucket === 'user' ? subject.userId : subject.address}`;
}

export function bucketOf(subject: RateLimitSubject): RateLimitBucket {
  if (subject.method === 'POST' && pathOf(subject.url) === SIGN_IN_PATH) return 'sign-in';
  return subject.userId === undefined ? 'address' : 'user';
}

/** Requests a minute allowed in the bucket a key names. */
export function limitOf(key: string, limits: Limits): number {
  if (key.startsWith('sign-in:')) return limits.LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE;
  if (key.startsWith('user:')) return limits.RATE_LIMIT_PER_USER_PER_MINUTE;
  return limits.RATE_LIMIT_PER_ADDRESS_PER_MINUTE;
}

export function isUnlimited(url: string): boolean {
  return UNLIMITED_PATHS.test(url);
}

function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
