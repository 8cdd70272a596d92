// The rules of users that need no I/O: what a username and a password must be, and the lockout after failed
// sign-ins (ADR 0023).

/** Lowercase, starts with a letter, 3–40 characters: it is the id in every token and every audit record. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9._-]{2,39}$/;
/** Longer passwords are refused before they are hashed (a megabyte password is a cheap way to burn CPU). */
export const MAX_PASSWORD_LENGTH = 256;

/** What is wrong with a new password, or undefined when it is acceptable. */
export function passwordProblem(password: string, username: string, minLength: number): string | undefined {
  const length = [...password].length;
  if (length < minLength) return `must be at least ${minLength} characters long`;
  if (length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters long`;
  if (password.trim().toLowerCase() === username.toLowerCase()) return 'must not be the username';
  return undefined;
}

export interface LockoutPolicy {
  /** Failed sign-ins in a row that lock the account. */
  maxFailures: number;
  lockoutMs: number;
}

/** What the lockout rules read and write on a user. */
export interface SignInState {
  failedAttempts: number;
  lockedUntil?: Date | null;
}

export function isLocked(state: SignInState, now: Date): boolean {
  return state.lockedUntil != null && state.lockedUntil.getTime() > now.getTime();
}

/**
 * The state after one more wrong password. A lock that has run out starts the count again; reaching the maximum
 * locks the account for `lockoutMs` (the count stays at the maximum until the next success or expiry).
 */
export function afterFailure(state: SignInState, now: Date, policy: LockoutPolicy): Required<SignInState> {
  const lockRanOut = state.lockedUntil != null && !isLocked(state, now);
  const failedAttempts = (lockRanOut ? 0 : state.failedAttempts) + 1;
  return failedAttempts >= policy.maxFailures
    ? { failedAttempts, lockedUntil: new Date(now.getTime() + policy.lockoutMs) }
    : { failedAttempts, lockedUntil: null };
}

/** The state after a right password (or an admin's unlock): nothing counted, nothing locked. */
export function afterSuccess(): Required<SignInState> {
  return { failedAttempts: 0, lockedUntil: null };
}

/** Whether two states are the same, so a sign-in that changes nothing writes nothing. */
export function sameSignInState(a: SignInState, b: SignInState): boolean {
  return (
    a.failedAttempts === b.failedAttempts &&
    (a.lockedUntil?.getTime() ?? null) === (b.lockedUntil?.getTime() ?? null)
  );
}
