// The rules of sessions that need no I/O: ids and refresh tokens, their hashes, and what a presented refresh token
// means for its session (ADR 0023).
import { createHash, randomBytes } from 'node:crypto';
import type { SessionDocument } from './session.schema';

const SESSION_ID_BYTES = 16;
const REFRESH_SECRET_BYTES = 32;
/** `<sid>.<secret>`: the sid (22 base64url characters) finds the session by _id; the 256-bit secret proves it. */
const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export function newSessionId(): string {
  return randomBytes(SESSION_ID_BYTES).toString('base64url');
}

export function newRefreshToken(sessionId: string): string {
  return `${sessionId}.${randomBytes(REFRESH_SECRET_BYTES).toString('base64url')}`;
}

/** The session a refresh token claims to belong to, or undefined when it is not one of ours. */
export function sessionIdOfRefreshToken(token: string): string | undefined {
  return REFRESH_TOKEN.exec(token)?.[1];
}

/** Only this is stored: a database read does not yield usable tokens. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export type RefreshVerdict =
  /** The session's current token: rotate it. */
  | 'current'
  /** A token of this session already exchanged: someone holds a copy; end the session. */
  | 'reused'
  /** Not a token this session ever issued. */
  | 'unknown'
  | 'expired'
  | 'revoked';

export function judgeRefresh(session: SessionDocument, tokenHash: string, now: Date): RefreshVerdict {
  if (session.revokedAt) return 'revoked';
  if (session.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (session.refreshTokenHash === tokenHash) return 'current';
  if (session.usedRefreshTokenHashes.includes(tokenHash)) return 'reused';
  return 'unknown';
}

/** Seconds from `now` until `until`, never below zero. */
export function secondsUntil(until: Date, now: Date): number {
  return Math.max(0, Math.floor((until.getTime() - now.getTime()) / 1000));
}
