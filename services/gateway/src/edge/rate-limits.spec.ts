import { isUnlimited, limitOf, rateLimitKey } from './rate-limits';

const limits = {
  RATE_LIMIT_PER_USER_PER_MINUTE: 600,
  RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 300,
  LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: 20,
};

describe('rate limit buckets', () => {
  it.each([
    [
      'a signed-in user, by user id wherever they call from',
      'GET',
      '/api/dispatch/jobs',
      'op-gulou',
      'user:op-gulou',
      600,
    ],
    [
      'a caller without a token, by address',
      'GET',
      '/api/resident-requests/open311/v2/services.json',
      undefined,
      'address:10.0.0.7',
      300,
    ],
    [
      'a sign-in, by address in its own stricter bucket',
      'POST',
      '/auth/login',
      undefined,
      'sign-in:10.0.0.7',
      20,
    ],
    [
      'a sign-in with a trailing slash or a query string',
      'POST',
      '/auth/login/?x=1',
      undefined,
      'sign-in:10.0.0.7',
      20,
    ],
    [
      'a sign-in carrying a token, still by address',
      'POST',
      '/auth/login',
      'op-gulou',
      'sign-in:10.0.0.7',
      20,
    ],
    [
      'a read of the sign-in path, as any other request',
      'GET',
      '/auth/login',
      undefined,
      'address:10.0.0.7',
      300,
    ],
  ])('%s', (_what, method, url, userId, key, limit) => {
    const counted = rateLimitKey({ method, url, address: '10.0.0.7', userId });
    expect(counted).toBe(key);
    expect(limitOf(counted, limits)).toBe(limit);
  });

  it.each([
    ['/health/ready', true],
    ['/health/live?x=1', true],
    ['/metrics', true],
    ['/healthy', false],
    ['/api/dispatch/health', false],
  ])('%s unlimited: %s', (url, expected) => {
    expect(isUnlimited(url)).toBe(expected);
  });
});
