import jwt from 'jsonwebtoken';
import { Actor } from './actor';
import { DEV_TOKEN_SETTINGS } from './auth.module';
import { signToken, verifyToken } from './tokens';

const claims = { sub: 'op-1', roles: ['operator' as const], jurisdiction: '320106' };

describe('access tokens', () => {
  it('verify to the claims they were signed with', () => {
    expect(verifyToken(signToken(claims, DEV_TOKEN_SETTINGS), DEV_TOKEN_SETTINGS)).toEqual(claims);
  });

  it.each([
    ['expired', () => signToken(claims, DEV_TOKEN_SETTINGS, -10)],
    ['signed with another key', () => signToken(claims, { ...DEV_TOKEN_SETTINGS, secret: 'x'.repeat(32) })],
    ['from another issuer', () => signToken(claims, { ...DEV_TOKEN_SETTINGS, issuer: 'elsewhere' })],
    [
      'unsigned (alg none)',
      () => jwt.sign({ roles: claims.roles, jurisdiction: '32' }, '', { algorithm: 'none', subject: 'x' }),
    ],
    [
      'claiming the system role',
      () => signToken({ ...claims, roles: ['system' as never] }, DEV_TOKEN_SETTINGS),
    ],
    [
      'with a jurisdiction that is not a code',
      () => signToken({ ...claims, jurisdiction: '.*' }, DEV_TOKEN_SETTINGS),
    ],
  ])('are refused when %s', (_, token) => {
    expect(() => verifyToken(token(), DEV_TOKEN_SETTINGS)).toThrow(/invalid|lacks/);
  });
});

describe('Actor', () => {
  const actor = Actor.fromClaims(claims);
  it('covers the codes of its subtree only', () => {
    expect(actor.covers('320106001001')).toBe(true);
    expect(actor.covers('320102001001')).toBe(false);
  });
  it('scopes queries to its subtree', () => {
    expect(actor.scope()).toEqual({ jurisdiction: { $regex: '^320106' } });
    expect(Actor.system().scope()).toEqual({});
  });
});
