import {
  afterFailure,
  afterSuccess,
  isLocked,
  passwordProblem,
  sameSignInState,
  USERNAME_PATTERN,
} from './user.rules';

const policy = { maxFailures: 3, lockoutMs: 60_000 };
const now = new Date('2026-11-29T08:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);

describe('usernames', () => {
  it.each([
    ['op-gulou', true],
    ['admin', true],
    ['a.b_c-1', true],
    ['Op-gulou', false],
    ['1op', false],
    ['ab', false],
    ['a'.repeat(41), false],
    ['op gulou', false],
  ])('%s is a username: %s', (name, valid) => {
    expect(USERNAME_PATTERN.test(name)).toBe(valid);
  });
});

describe('new passwords', () => {
  it.each([
    ['short', 'op-gulou', /at least 12/],
    ['op-gulou', 'op-gulou', /at least 12/],
    ['station-1234', 'station-1234', /not be the username/],
    ['Station-1234', 'station-1234', /not be the username/],
    ['x'.repeat(257), 'op-gulou', /at most/],
  ])('%s for %s is refused', (password, username, problem) => {
    expect(passwordProblem(password, username, 12)).toMatch(problem);
  });

  it('counts characters, not bytes, and accepts a long enough one', () => {
    expect(passwordProblem('鼓楼区邻里服务平台密码好长啊', 'op-gulou', 12)).toBeUndefined();
    expect(passwordProblem('linli-demo-2026!', 'op-gulou', 12)).toBeUndefined();
  });
});

describe('lockout', () => {
  it('counts failures in a row and locks at the maximum for the lockout time', () => {
    let state = afterSuccess();
    state = afterFailure(state, now, policy);
    state = afterFailure(state, now, policy);
    expect(state).toEqual({ failedAttempts: 2, lockedUntil: null });
    expect(isLocked(state, now)).toBe(false);
    state = afterFailure(state, now, policy);
    expect(state).toEqual({ failedAttempts: 3, lockedUntil: later(60_000) });
    expect(isLocked(state, later(59_999))).toBe(true);
    expect(isLocked(state, later(60_000))).toBe(false);
  });

  it('starts the count again once a lock has run out', () => {
    const locked = { failedAttempts: 3, lockedUntil: later(60_000) };
    expect(afterFailure(locked, later(61_000), policy)).toEqual({ failedAttempts: 1, lockedUntil: null });
  });

  it('a success resets the count and the lock', () => {
    expect(afterSuccess()).toEqual({ failedAttempts: 0, lockedUntil: null });
  });

  it('knows when an attempt changes nothing (a success on a clean account writes nothing)', () => {
    expect(sameSignInState({ failedAttempts: 0 }, afterSuccess())).toBe(true);
    expect(sameSignInState({ failedAttempts: 0, lockedUntil: null }, afterSuccess())).toBe(true);
    expect(sameSignInState({ failedAttempts: 1, lockedUntil: null }, afterSuccess())).toBe(false);
    expect(sameSignInState({ failedAttempts: 0, lockedUntil: now }, afterSuccess())).toBe(false);
  });
});
