import type { LinliClaims } from '@linli/auth';
import { UnauthorizedError } from '@linli/platform';
import { edgeCallerOf, type EdgeTokenChecks } from './edge-auth';

const claims: LinliClaims = { sub: 'op-gulou', roles: ['operator'], jurisdiction: '320106', sid: 's-1' };

function checks(overrides: Partial<EdgeTokenChecks> = {}): EdgeTokenChecks & { revokedAsked: string[] } {
  const revokedAsked: string[] = [];
  return {
    revokedAsked,
    verify: async (token) => {
      if (token !== 'good.token.sig') throw new UnauthorizedError('The access token is invalid or expired');
      return claims;
    },
    isRevoked: async (sid) => {
      revokedAsked.push(sid);
      return false;
    },
    ...overrides,
  };
}

describe('edgeCallerOf', () => {
  it('lets a request without a token through as anonymous (the route decides)', async () => {
    expect(await edgeCallerOf(undefined, checks())).toEqual({ kind: 'anonymous' });
    expect(await edgeCallerOf('', checks())).toEqual({ kind: 'anonymous' });
  });

  it('leaves other schemes to the route', async () => {
    expect(await edgeCallerOf('Basic dXNlcjpwdw==', checks())).toEqual({ kind: 'anonymous' });
  });

  it('knows the user of a valid token whose session is open', async () => {
    const given = checks();
    expect(await edgeCallerOf('Bearer good.token.sig', given)).toEqual({ kind: 'user', claims });
    expect(given.revokedAsked).toEqual(['s-1']);
  });

  it('refuses an invalid token, a malformed bearer header and a revoked session with 401', async () => {
    for (const caller of [
      await edgeCallerOf('Bearer bad.token.sig', checks()),
      await edgeCallerOf('Bearer ', checks()),
      await edgeCallerOf('Bearer a b', checks()),
      await edgeCallerOf('Bearer good.token.sig', checks({ isRevoked: async () => true })),
    ]) {
      expect(caller.kind).toBe('refused');
      expect(caller.kind === 'refused' && caller.error).toBeInstanceOf(UnauthorizedError);
    }
  });

  it('does not ask about revocation for a token without a session (an external issuer, a dev token)', async () => {
    const given = checks({ verify: async () => ({ ...claims, sid: undefined }) });
    expect((await edgeCallerOf('Bearer good.token.sig', given)).kind).toBe('user');
    expect(given.revokedAsked).toEqual([]);
  });

  it('keeps a failure to check as it is (a 503 stays a 503, not a 401)', async () => {
    const down = Object.assign(new Error('redis and mongodb down'), { status: 503 });
    const caller = await edgeCallerOf(
      'Bearer good.token.sig',
      checks({
        isRevoked: async () => {
          throw down;
        },
      }),
    );
    expect(caller).toEqual({ kind: 'refused', error: down });
  });
});
