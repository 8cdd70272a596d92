// The sign-in answers that are not the platform's usual ones.
import { DomainError, UnauthorizedError } from '@linli/platform';

/** Too many wrong passwords in a row: refused, even with the right one, until the lock runs out or an admin unlocks. */
export class AccountLockedError extends DomainError {
  readonly status = 423;
  readonly slug = 'account-locked';
  readonly title = 'Account locked';

  constructor() {
    super('The account is locked after too many failed sign-ins; try again later or ask an administrator');
  }
}

/** One message for a wrong password, an unknown username and a disabled account: none tells which it was. */
export function invalidCredentials(): UnauthorizedError {
  return new UnauthorizedError('The username or password is wrong');
}
