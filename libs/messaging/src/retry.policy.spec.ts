import {
  InvalidRetryPolicyError,
  backoffDelayMs,
  retryDelayMs,
  retryPolicy,
  type RetryPolicy,
} from './retry.policy';

const policy: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 500, jitter: 0 };

describe('retryDelayMs', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 500],
  ])('waits exponentially, capped at the maximum: after try %i, %i ms', (attempt, expected) => {
    expect(retryDelayMs(attempt, policy)).toBe(expected);
  });

  it('gives up after the last try', () => {
    expect(retryDelayMs(5, policy)).toBeNull();
  });

  it('takes jitter off the wait, never adds to it', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect([retryDelayMs(2, jittered, () => 0), retryDelayMs(2, jittered, () => 0.999)]).toEqual([200, 100]);
  });

  it('never retries a single-attempt policy', () => {
    expect(retryDelayMs(1, { ...policy, attempts: 1 })).toBeNull();
  });
});

describe('backoffDelayMs', () => {
  it('keeps growing past the attempt budget, capped (crash restarts count their own budget)', () => {
    expect([6, 7].map((n) => backoffDelayMs(n, policy))).toEqual([500, 500]);
  });
});

describe('retryPolicy', () => {
  it('keeps defaults for options left undefined', () => {
    expect(retryPolicy(policy, { attempts: 3, maxDelayMs: undefined })).toEqual({ ...policy, attempts: 3 });
  });

  it.each([{ attempts: 0 }, { attempts: 1.5 }, { initialDelayMs: 600 }, { jitter: 2 }])(
    'refuses %o',
    (overrides) => {
      expect(() => retryPolicy(policy, overrides)).toThrow(InvalidRetryPolicyError);
    },
  );
});
