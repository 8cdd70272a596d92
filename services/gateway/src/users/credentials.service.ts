// Checking a username and password, with the lockout: every attempt on an existing account is counted by one
// conditional write, so wrong guesses sent at once all count; an unknown username costs the same scrypt as a known one.
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { config } from '../config';
import { hashPassword, needsRehash, prepareDecoy, spendPasswordCheck, verifyPassword } from './password';
import {
  afterFailure,
  afterSuccess,
  isLocked,
  sameSignInState,
  USERNAME_PATTERN,
  type LockoutPolicy,
} from './user.rules';
import type { UserDocument } from './user.schema';
import { UsersRepository } from './users.repository';

export type CredentialCheck =
  | { outcome: 'ok'; user: UserDocument }
  | { outcome: 'wrong-password' | 'locked' | 'disabled'; user: UserDocument }
  | { outcome: 'unknown-user' };

/**
 * Attempts that lose the conditional write to another attempt read again and count on top; each loss means another
 * attempt was counted, so this bounds only a pathological pile-up.
 */
const SIGN_IN_WRITE_ATTEMPTS = 50;

@Injectable()
export class CredentialsService implements OnApplicationBootstrap {
  private readonly policy: LockoutPolicy = {
    maxFailures: config.LOGIN_MAX_FAILURES,
    lockoutMs: config.LOGIN_LOCKOUT_MS,
  };

  constructor(private readonly users: UsersRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    await prepareDecoy();
  }

  async check(username: string, password: string): Promise<CredentialCheck> {
    const userId = username.trim().toLowerCase();
    let user = USERNAME_PATTERN.test(userId) ? await this.users.get(userId) : null;
    if (!user) {
      await spendPasswordCheck(password);
      return { outcome: 'unknown-user' };
    }
    const now = new Date();
    // A locked account answers at once: the lock is no secret (423), and checking would only burn CPU for a guesser.
    if (isLocked(user, now)) return { outcome: 'locked', user };
    const checkedHash = user.passwordHash;
    const right = await verifyPassword(password, checkedHash);
    if (user.status !== 'active') return { outcome: 'disabled', user };
    const rehash = right && needsRehash(user.passwordHash) ? await hashPassword(password) : undefined;

    for (let attempt = 1; attempt <= SIGN_IN_WRITE_ATTEMPTS; attempt++) {
      const next = right ? afterSuccess() : afterFailure(user, now, this.policy);
      if (!rehash && sameSignInState(user, next)) break;
      const rehashed = rehash ? { from: checkedHash, to: rehash } : undefined;
      if (await this.users.setSignInState(user._id, user, next, rehashed)) {
        user = { ...user, ...next, ...(rehash ? { passwordHash: rehash } : {}) };
        break;
      }
      const current = await this.users.get(user._id);
      if (!current) return { outcome: 'unknown-user' };
      // The password was changed meanwhile: what was checked is no longer the password (nothing to count).
      if (current.passwordHash !== checkedHash) return { outcome: 'wrong-password', user: current };
      user = current;
      // Guesses sent at the same time locked it meanwhile: this attempt is refused like any later one.
      if (isLocked(user, new Date())) return { outcome: 'locked', user };
    }
    return { outcome: right ? 'ok' : 'wrong-password', user };
  }
}
