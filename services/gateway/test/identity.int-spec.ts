// The gateway's identity as a process on the real stack: sign-in (and the same answer for an unknown user), the
// lockout (wrong guesses sent at once all count) and an admin's unlock, refresh-token rotation and reuse, sign-out
// (refresh refused, the Redis key the edge reads), expired and foreign tokens, admins' management of users inside
// their jurisdiction with mass assignment refused, password changes ending the other sessions, and the password only
// ever stored as a scrypt hash and never answered.
import { DEV_TOKEN_SETTINGS, signToken, verifyToken } from '@linli/auth';
import { eventually } from '@linli/testing';
import {
  BOOTSTRAP_ADMIN_PASSWORD,
  bearer,
  call,
  GatewayStore,
  signedIn,
  signIn,
  startGateway,
  TEST_PASSWORD,
  type Json,
  type Response,
  type ServiceProcess,
} from './support';

const MAX_FAILURES = 3;
/** Long enough never to run out during the suite: the lock is lifted by an admin here, not by time. */
const LOCKOUT_MS = 120_000;
const ACCESS_TTL_SECONDS = 900;

describe('gateway identity', () => {
  let gateway: ServiceProcess;
  let store: GatewayStore;
  /** Every answer the gateway gave, to check that no password hash ever left it. */
  const answers: Json[] = [];
  let admin: Record<string, string>;
  let adminNj: Record<string, string>;

  const send = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await call(gateway, method, path, headers, body);
    answers.push(response.body);
    return response;
  };
  const login = async (username: string, password: string) => {
    const response = await signIn(gateway, username, password);
    answers.push(response.body);
    return response;
  };
  const refresh = (refreshToken: string) => send('POST', '/auth/refresh', {}, { refreshToken });
  const sidOf = (response: Response) =>
    verifyToken(response.body.accessToken, DEV_TOKEN_SETTINGS).sid as string;

  beforeAll(async () => {
    [gateway, store] = await Promise.all([
      startGateway({
        LOGIN_MAX_FAILURES: String(MAX_FAILURES),
        LOGIN_LOCKOUT_MS: String(LOCKOUT_MS),
        ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_SECONDS),
        // Nothing listens there: a request the edge lets through answers 503, one it refuses 401.
        DISPATCH_URL: 'http://127.0.0.1:9',
      }),
      GatewayStore.connect(),
    ]);
  });

  afterAll(async () => {
    await gateway?.stop();
    await store?.close();
  });

  it('signs the bootstrap admin in: an access token with its session and id, a refresh token, the user', async () => {
    const response = await login('admin', BOOTSTRAP_ADMIN_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: ACCESS_TTL_SECONDS,
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/),
      user: { userId: 'admin', username: 'admin', roles: ['admin'], jurisdiction: '32', status: 'active' },
    });
    expect(response.body.refreshExpiresIn).toBeGreaterThan(0);
    const claims = verifyToken(response.body.accessToken, DEV_TOKEN_SETTINGS);
    expect(claims).toMatchObject({ sub: 'admin', roles: ['admin'], jurisdiction: '32' });
    expect(claims.sid).toBe((response.body.refreshToken as string).split('.')[0]);
    expect(claims.jti).toEqual(expect.any(String));
    admin = bearer(response.body.accessToken);
  });

  it('lets an admin create users inside their jurisdiction only, refusing fields a client may not set', async () => {
    const created = await send('POST', '/users', admin, {
      username: 'admin-nj',
      displayName: '南京市管理员',
      password: TEST_PASSWORD,
      roles: ['admin'],
      jurisdiction: '3201',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      userId: 'admin-nj',
      username: 'admin-nj',
      displayName: '南京市管理员',
      roles: ['admin'],
      jurisdiction: '3201',
      status: 'active',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 0,
    });
    adminNj = (await signedIn(gateway, 'admin-nj', TEST_PASSWORD)).headers;

    const user = (overrides: Json = {}) => ({
      username: 'op-gulou',
      displayName: '鼓楼区热线',
      password: TEST_PASSWORD,
      roles: ['operator'],
      jurisdiction: '320106',
      ...overrides,
    });
    for (const field of [
      { status: 'active' },
      { failedAttempts: 0 },
      { passwordHash: 'x' },
      { createdBy: 'x' },
    ]) {
      const refused = await send('POST', '/users', adminNj, user(field));
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([
        { field: Object.keys(field)[0], message: expect.stringMatching(/should not exist/) },
      ]);
    }
    const outside = await send('POST', '/users', adminNj, user({ jurisdiction: '3202' }));
    expect(outside.status).toBe(400);
    expect(outside.body.errors).toEqual([
      { field: 'jurisdiction', message: expect.stringMatching(/outside/) },
    ]);
    const weak = await send('POST', '/users', adminNj, user({ password: 'op-gulou' }));
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([{ field: 'password', message: expect.stringMatching(/at least 12/) }]);
    const notUsername = await send('POST', '/users', adminNj, user({ username: 'Op Gulou' }));
    expect(notUsername.status).toBe(400);
    expect(notUsername.body.errors[0].field).toBe('username');

    const both = await Promise.all([
      send('POST', '/users', adminNj, user()),
      send('POST', '/users', adminNj, user({ username: 'op-xuanwu', jurisdiction: '320102' })),
    ]);
    expect(both.map((response) => response.status)).toEqual([201, 201]);

    // The password is stored as a scrypt hash with its parameters, never as given.
    const raw = await store.user('op-gulou');
    expect(raw?.passwordHash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(JSON.stringify(raw)).not.toContain(TEST_PASSWORD);
  });

  it('keeps an admin inside their jurisdiction: another jurisdiction’s user is not found, lists are scoped', async () => {
    expect((await send('GET', '/users/admin', adminNj)).status).toBe(404);
    expect((await send('PATCH', '/users/admin', adminNj, { displayName: 'x', version: 0 })).status).toBe(404);
    expect((await send('POST', '/users/admin/password', adminNj, { password: TEST_PASSWORD })).status).toBe(
      404,
    );
    expect((await send('POST', '/users/admin/unlock', adminNj)).status).toBe(404);

    const listed = await send('GET', '/users', adminNj);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((item: Json) => item.userId)).toEqual(['admin-nj', 'op-gulou', 'op-xuanwu']);
    const gulou = await send('GET', '/users?jurisdiction=320106&role=operator&status=active', adminNj);
    expect(gulou.body.items.map((item: Json) => item.userId)).toEqual(['op-gulou']);
    expect((await send('GET', '/users?jurisdiction=3202', adminNj)).body.items).toEqual([]);
    const everyone = await send('GET', '/users?pageSize=2', admin);
    expect(everyone.body).toMatchObject({
      page: 1,
      pageSize: 2,
      items: [{ userId: 'admin' }, { userId: 'admin-nj' }],
    });

    const operator = (await signedIn(gateway, 'op-xuanwu', TEST_PASSWORD)).headers;
    expect((await send('GET', '/users', operator)).status).toBe(403);
    expect((await send('GET', '/me', operator)).body).toMatchObject({
      userId: 'op-xuanwu',
      jurisdiction: '320102',
    });
  });

  it('lets an admin change users at the version read, but never their own roles, and never to outside fields', async () => {
    const ownRoles = await send('PATCH', '/users/admin-nj', adminNj, {
      roles: ['admin', 'auditor'],
      version: 0,
    });
    expect(ownRoles.status).toBe(403);
    const outside = await send('PATCH', '/users/op-xuanwu', adminNj, { jurisdiction: '3202', version: 0 });
    expect(outside.status).toBe(400);
    const massAssigned = await send('PATCH', '/users/op-xuanwu', adminNj, { version: 0, lockedUntil: null });
    expect(massAssigned.status).toBe(400);

    const changed = await send('PATCH', '/users/op-xuanwu', adminNj, {
      roles: ['operator', 'supervisor'],
      displayName: '玄武区热线',
      version: 0,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      roles: ['operator', 'supervisor'],
      displayName: '玄武区热线',
      version: 1,
    });
    const stale = await send('PATCH', '/users/op-xuanwu', adminNj, { displayName: 'late', version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toEqual({ version: 1 });
  });

  it('answers a wrong password and an unknown user the same', async () => {
    const wrong = await login('op-gulou', 'not-the-password');
    const unknown = await login('nobody-here', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const { correlationId: _a, ...wrongProblem } = wrong.body;
    const { correlationId: _b, ...unknownProblem } = unknown.body;
    expect(wrongProblem).toEqual(unknownProblem);
  });

  it('locks the account after the maximum of wrong guesses in a row, counting guesses sent at once, until an admin unlocks it', async () => {
    // One failure above; two more at the same instant must both count (a lost update would leave it at two).
    const guesses = await Promise.all([
      login('op-gulou', 'guess-one-wrong'),
      login('op-gulou', 'guess-two-wrong'),
    ]);
    expect(guesses.map((guess) => guess.status).sort()).toEqual([401, 401]);
    const raw = await store.user('op-gulou');
    expect(raw).toMatchObject({ failedAttempts: MAX_FAILURES, lockedUntil: expect.any(Date) });

    const locked = await login('op-gulou', TEST_PASSWORD);
    expect(locked.status).toBe(423);
    expect(locked.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(locked.body).toMatchObject({ type: 'urn:linli:problem:account-locked', status: 423 });
    const seen = await send('GET', '/users/op-gulou', adminNj);
    expect(seen.body.lockedUntil).toEqual(expect.any(String));

    expect((await send('POST', '/users/op-gulou/unlock', adminNj)).status).toBe(204);
    expect(await store.user('op-gulou')).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    expect((await login('op-gulou', TEST_PASSWORD)).status).toBe(200);
  });

  it('rotates refresh tokens; a used one presented again is refused and ends the session, the newest token too', async () => {
    const first = await login('op-gulou', TEST_PASSWORD);
    const sid = sidOf(first);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    expect(sidOf(second)).toBe(sid);
    expect(verifyToken(second.body.accessToken, DEV_TOKEN_SETTINGS).jti).not.toBe(
      verifyToken(first.body.accessToken, DEV_TOKEN_SETTINGS).jti,
    );
    const raw = await store.session(sid);
    // Only hashes are stored, never a token.
    expect(JSON.stringify(raw)).not.toContain(second.body.refreshToken.split('.')[1]);
    expect(raw?.usedRefreshTokenHashes).toHaveLength(1);

    expect((await refresh(first.body.refreshToken)).status).toBe(401);
    expect((await refresh(second.body.refreshToken)).status).toBe(401);
    expect(await store.session(sid)).toMatchObject({
      revokedReason: 'refresh-reuse',
      revokedAt: expect.any(Date),
    });
    expect(await store.redis.exists(store.revokedSessionKey(sid))).toBe(1);
    expect((await refresh(`${sid}.${'A'.repeat(43)}`)).status).toBe(401);
    expect((await refresh('not-a-token')).status).toBe(401);
  });

  it('signs out: the refresh token is refused and the session is written to the revoked-sessions key in Redis', async () => {
    const session = await login('op-gulou', TEST_PASSWORD);
    const sid = sidOf(session);
    expect(await store.redis.exists(store.revokedSessionKey(sid))).toBe(0);
    expect((await send('POST', '/auth/logout', bearer(session.body.accessToken))).status).toBe(204);
    expect((await refresh(session.body.refreshToken)).status).toBe(401);
    const ttl = await store.redis.ttl(store.revokedSessionKey(sid));
    expect(ttl).toBeGreaterThan(ACCESS_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(ACCESS_TTL_SECONDS + 60);
    expect(await store.session(sid)).toMatchObject({ revokedReason: 'sign-out' });
  });

  it('refuses a signed-out session’s access token at the edge, from MongoDB when Redis has lost its keys', async () => {
    const [kept, ended] = await Promise.all([
      login('op-gulou', TEST_PASSWORD),
      login('op-gulou', TEST_PASSWORD),
    ]);
    expect((await send('POST', '/auth/logout', bearer(ended.body.accessToken))).status).toBe(204);
    const throughEdge = async (response: Response) =>
      (await send('GET', '/api/dispatch/jobs', bearer(response.body.accessToken))).status;
    expect(await throughEdge(ended)).toBe(401);
    expect(await throughEdge(kept)).not.toBe(401);
    // The gateway's own routes too.
    expect((await send('GET', '/me', bearer(ended.body.accessToken))).status).toBe(401);
    expect((await send('GET', '/me', bearer(kept.body.accessToken))).status).toBe(200);

    // Redis flushed or restarted: the revocation key and the marker vouching for the keys are gone.
    await store.redis.del(store.revokedSessionKey(sidOf(ended)), store.revokedSessionsMarkerKey());
    expect(await throughEdge(ended)).toBe(401);
    expect(await throughEdge(kept)).not.toBe(401);
    // And the gateway writes the revocations back, then the marker.
    await eventually('revocations restored to redis', async () =>
      (await store.redis.exists(store.revokedSessionsMarkerKey())) === 1 ? true : undefined,
    );
    expect(await store.redis.exists(store.revokedSessionKey(sidOf(ended)))).toBe(1);
  });

  it('refuses an expired access token and one signed with another key', async () => {
    const claims = {
      sub: 'op-gulou',
      roles: ['operator' as const],
      jurisdiction: '320106',
      sid: 'x',
      jti: 'y',
    };
    const expired = signToken(claims, DEV_TOKEN_SETTINGS, -1);
    expect((await send('GET', '/me', bearer(expired))).status).toBe(401);
    const foreign = signToken(claims, { ...DEV_TOKEN_SETTINGS, secret: 'another-secret-of-32-characters!!' });
    expect((await send('GET', '/me', bearer(foreign))).status).toBe(401);
  });

  it('changes a password with the current one, ending every other session of the user but the caller’s', async () => {
    const [mine, other] = await Promise.all([
      login('op-gulou', TEST_PASSWORD),
      login('op-gulou', TEST_PASSWORD),
    ]);
    const headers = bearer(mine.body.accessToken);
    const newPassword = 'a-new-password-2026';

    const wrong = await send('POST', '/me/password', headers, {
      currentPassword: 'nope-nope-nope',
      newPassword,
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toEqual([{ field: 'currentPassword', message: expect.any(String) }]);
    const extra = await send('POST', '/me/password', headers, {
      currentPassword: TEST_PASSWORD,
      newPassword,
      roles: ['admin'],
    });
    expect(extra.status).toBe(400);
    expect(
      (await send('POST', '/me/password', headers, { currentPassword: TEST_PASSWORD, newPassword })).status,
    ).toBe(204);

    expect((await refresh(other.body.refreshToken)).status).toBe(401);
    expect(await store.redis.exists(store.revokedSessionKey(sidOf(other)))).toBe(1);
    expect((await refresh(mine.body.refreshToken)).status).toBe(200);
    const [before, after] = await Promise.all([
      login('op-gulou', TEST_PASSWORD),
      login('op-gulou', newPassword),
    ]);
    expect([before.status, after.status]).toEqual([401, 200]);
  });

  it('ends the sessions of a user an admin disables, who can no longer sign in', async () => {
    const session = await login('op-xuanwu', TEST_PASSWORD);
    const { version } = (await send('GET', '/users/op-xuanwu', adminNj)).body;
    expect((await send('PATCH', '/users/op-xuanwu', adminNj, { status: 'disabled', version })).status).toBe(
      200,
    );
    expect((await refresh(session.body.refreshToken)).status).toBe(401);
    expect(await store.redis.exists(store.revokedSessionKey(sidOf(session)))).toBe(1);
    const refused = await login('op-xuanwu', TEST_PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toBe('The username or password is wrong');
  });

  it('recorded sign-ins, failed ones (an unknown name too), sign-outs and role changes in the audit log', async () => {
    const entries = (query: string) =>
      eventually(`audit entries ${query}`, async () => {
        const page = await send('GET', `/audit?${query}`, admin);
        return page.status === 200 && page.body.items.length > 0 ? (page.body.items as Json[]) : undefined;
      });
    const [signIns, failed, unknown, signOuts, roleChanges] = await Promise.all([
      entries('action=sign-in&actorId=op-gulou'),
      entries('action=sign-in.failed&actorId=op-gulou'),
      entries('action=sign-in.failed&actorId=nobody-here'),
      entries('action=sign-out&actorId=op-gulou'),
      entries('action=role.changed&resourceId=op-xuanwu'),
    ]);
    expect(signIns[0].record).toMatchObject({
      outcome: 'allowed',
      actorRoles: ['operator'],
      resource: { type: 'session' },
    });
    expect(failed[0].record).toMatchObject({ outcome: 'denied', actorRoles: ['operator'] });
    expect(unknown[0].record).toMatchObject({ outcome: 'denied', actorRoles: [] });
    expect(signOuts[0].record).toMatchObject({ outcome: 'allowed' });
    expect(roleChanges.map((entry) => entry.record.actorId)).toContain('admin-nj');
  });

  it('never answered a password hash', () => {
    const everything = JSON.stringify(answers);
    expect(everything).not.toContain('$scrypt');
    // (The name itself appears once, in the 400 refusing a client that posted it.)
    expect(everything).not.toMatch(/"passwordHash":"/);
  });
});
