// A new installation's way in: with BOOTSTRAP_ADMIN_PASSWORD set and no user yet, the user `admin` (role admin,
// the province) is created at start-up. Instances starting together all try; the insert with _id `admin` lets one win.
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { config } from '../config';
import { hashPassword } from './password';
import { afterSuccess, passwordProblem } from './user.rules';
import { UsersRepository } from './users.repository';

export const BOOTSTRAP_ADMIN = {
  username: 'admin',
  jurisdiction: '32',
  displayName: 'Administrator',
} as const;

@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(private readonly users: UsersRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    const password = config.BOOTSTRAP_ADMIN_PASSWORD;
    if (!password || (await this.users.any())) return;
    const weak = passwordProblem(password, BOOTSTRAP_ADMIN.username, config.PASSWORD_MIN_LENGTH);
    // A deployment that asks for an admin with a weak password fails to start rather than serve with one.
    if (weak) throw new Error(`BOOTSTRAP_ADMIN_PASSWORD ${weak}`);
    const now = new Date();
    const created = await this.users.insert({
      _id: BOOTSTRAP_ADMIN.username,
      displayName: BOOTSTRAP_ADMIN.displayName,
      passwordHash: await hashPassword(password),
      roles: ['admin'],
      jurisdiction: BOOTSTRAP_ADMIN.jurisdiction,
      status: 'active',
      ...afterSuccess(),
      version: 0,
      createdAt: now,
      updatedAt: now,
    });
    if (created) this.logger.log({ msg: 'bootstrap admin created', userId: BOOTSTRAP_ADMIN.username });
  }
}
