// How long a partition waits before trying a failed message again, and how many times it tries.

export interface RetryPolicy {
  /** Total tries, the first included: 5 means one try and four retries. */
  attempts: number;
  /** Wait before the second try; each later wait doubles, up to maxDelayMs. */
  initialDelayMs: number;
  maxDelayMs: number;
  /**
   * Fraction of each wait that is randomised (0 = none, 0.5 = between 50% and 100% of the wait), so many
   * consumers failing on the same outage do not retry in lockstep.
   */
  jitter: number;
}

/**
 * Handler retries. The partition waits through them (order matters), so the whole schedule stays short:
 * 0.2 + 0.4 + 0.8 + 1.6 s ≈ 3 s before a poison message goes to the DLQ.
 */
export const DEFAULT_HANDLER_RETRY: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  jitter: 0.2,
};

/** Restarts of a consumer that kafkajs gave up on (non-retriable crash): slower, since a restart rejoins the group. */
export const DEFAULT_CRASH_RESTART: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  jitter: 0.2,
};

export class InvalidRetryPolicyError extends Error {
  override readonly name = 'InvalidRetryPolicyError';
}

export function retryPolicy(base: RetryPolicy, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...base, ...definedOnly(overrides) };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new InvalidRetryPolicyError(`attempts must be an integer >= 1, got ${policy.attempts}`);
  }
  if (policy.initialDelayMs < 0 || policy.maxDelayMs < policy.initialDelayMs) {
    throw new InvalidRetryPolicyError(
      `need 0 <= initialDelayMs <= maxDelayMs, got ${policy.initialDelayMs} and ${policy.maxDelayMs}`,
    );
  }
  if (policy.jitter < 0 || policy.jitter > 1) {
    throw new InvalidRetryPolicyError(`jitter must be within [0, 1], got ${policy.jitter}`);
  }
  return policy;
}

/**
 * The wait after failed try number `attempt` (1-based), or null when no try is left.
 * `random` returns [0, 1); injected so the schedule is testable.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number | null {
  return attempt >= policy.attempts ? null : backoffDelayMs(attempt, policy, random);
}

/** The n-th wait (1-based) of the schedule, whatever the attempt budget. */
export function backoffDelayMs(n: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (n - 1));
  return Math.round(exponential * (1 - policy.jitter * random()));
}

function definedOnly<T extends object>(value: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
