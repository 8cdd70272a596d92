import { DEV_TOKEN_SETTINGS, signToken, verifyToken } from '@linli/auth';
import {
  hashRefreshToken,
  judgeRefresh,
  newRefreshToken,
  newSessionId,
  secondsUntil,
  sessionIdOfRefreshToken,
} from './session.rules';
import type { SessionDocument } from './session.schema';

const now = new Date('2026-11-29T08:00:00Z');

function session(overrides: Partial<SessionDocument> = {}): SessionDocument {
  return {
    _id: newSessionId(),
    userId: 'op-gulou',
    refreshTokenHash: 'current',
    usedRefreshTokenHashes: ['first', 'second'],
    createdAt: now,
    refreshedAt: now,
    expiresAt: new Date(now.getTime() + 3_600_000),
    revokedAt: null,
    ...overrides,
  };
}

describe('refresh tokens', () => {
  it('are the session id and 256 random bits, base64url, and give their session id back', () => {
    const sessionId = newSessionId();
    const token = newRefreshToken(sessionId);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(sessionIdOfRefreshToken(token)).toBe(sessionId);
    expect(newRefreshToken(sessionId)).not.toBe(token);
  });

  it.each([
    '',
    'abc',
    `${'a'.repeat(22)}.${'b'.repeat(42)}`,
    `${'a'.repeat(22)}.${'b'.repeat(43)}.x`,
    '{"$ne":1}',
  ])('%j is not one of ours', (token) => {
    expect(sessionIdOfRefreshToken(token)).toBeUndefined();
  });

  it('are stored as a SHA-256 hash only', () => {
    const token = newRefreshToken(newSessionId());
    expect(hashRefreshToken(token)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token));
    expect(hashRefreshToken(token)).not.toContain(token.split('.')[1]);
  });
});

describe('a presented refresh token', () => {
  it.each<[string, Partial<SessionDocument>, string, string]>([
    ['the current one rotates', {}, 'current', 'current'],
    ['a used one is a reuse', {}, 'second', 'reused'],
    ['one never issued is unknown', {}, 'forged', 'unknown'],
    ['any of a revoked session is refused', { revokedAt: now }, 'current', 'revoked'],
    ['a reused one of a revoked session is refused', { revokedAt: now }, 'first', 'revoked'],
    ['any of an ended session is refused', { expiresAt: now }, 'current', 'expired'],
  ])('%s', (_, overrides, presented, verdict) => {
    expect(judgeRefresh(session(overrides), presented, now)).toBe(verdict);
  });

  it('reports the seconds left of the session, never below zero', () => {
    expect(secondsUntil(new Date(now.getTime() + 90_500), now)).toBe(90);
    expect(secondsUntil(new Date(now.getTime() - 1), now)).toBe(0);
  });
});

describe('access tokens of a session', () => {
  it('carry the sid and jti claims through signing and verification', () => {
    const claims = {
      sub: 'op-gulou',
      roles: ['operator' as const],
      jurisdiction: '320106',
      sid: 'S1',
      jti: 'J1',
    };
    expect(verifyToken(signToken(claims, DEV_TOKEN_SETTINGS), DEV_TOKEN_SETTINGS)).toEqual(claims);
  });
});
