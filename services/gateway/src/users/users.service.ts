// The use cases of users: admins create, list, read and change the users of their jurisdiction, set passwords and
// lift locks; every user reads themselves and changes their own password. Changes that alter what a user may do
// (roles, jurisdiction, provider, status, password) end their sessions, so the next token carries the change.
import { Actor } from '@linli/auth';
import { AuditTrail } from '@linli/audit';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
  type FieldError,
} from '@linli/platform';
import { forwardRef, Inject, Injectable, Optional } from '@nestjs/common';
import { config } from '../config';
import { SessionsService } from '../sessions/sessions.service';
import { CredentialsService } from './credentials.service';
import type {
  ChangeMyPasswordDto,
  CreateUserDto,
  ListUsersQuery,
  SetPasswordDto,
  UpdateUserDto,
} from './dto/user.dto';
import { hashPassword } from './password';
import { afterSuccess, passwordProblem } from './user.rules';
import type { UserDocument } from './user.schema';
import { AccountLockedError } from './users.errors';
import { UsersRepository } from './users.repository';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly credentials: CredentialsService,
    @Inject(forwardRef(() => SessionsService)) private readonly sessions: SessionsService,
    @Optional() private readonly audit?: AuditTrail,
  ) {}

  async create(body: CreateUserDto, actor: Actor): Promise<UserDocument> {
    const errors = this.grantProblems(body, actor);
    const weak = passwordProblem(body.password, body.username, config.PASSWORD_MIN_LENGTH);
    if (weak) errors.push({ field: 'password', message: weak });
    if (errors.length > 0) throw new ValidationError(errors, 400);
    const now = new Date();
    const user: UserDocument = {
      _id: body.username,
      displayName: body.displayName,
      passwordHash: await hashPassword(body.password),
      roles: body.roles,
      jurisdiction: body.jurisdiction,
      ...(body.providerId ? { providerId: body.providerId } : {}),
      status: 'active',
      ...afterSuccess(),
      version: 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.users.insert(user))) {
      // Taken by a user the admin may not see is still taken; only the name is told.
      throw new ConflictError(`the username ${body.username} is taken`);
    }
    await this.recordRoleChange(actor, user);
    return user;
  }

  async list(query: ListUsersQuery, actor: Actor) {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, config.MAX_PAGE_SIZE);
    const items = await this.users.list(
      actor,
      { role: query.role, jurisdiction: query.jurisdiction, status: query.status },
      page,
      pageSize,
    );
    return { items, page, pageSize };
  }

  async get(userId: string, actor: Actor): Promise<UserDocument> {
    const user = await this.users.getWithin(userId, actor);
    if (!user) throw new NotFoundError('user', userId);
    return user;
  }

  async update(userId: string, body: UpdateUserDto, actor: Actor): Promise<UserDocument> {
    const existing = await this.get(userId, actor);
    if (existing.version !== body.version) {
      throw new ConflictError(`user ${userId} was changed meanwhile`, { version: existing.version });
    }
    const roles = body.roles ?? existing.roles;
    const rolesChanged = !sameSet(roles, existing.roles);
    // MLPS separates duties: an admin never widens (or narrows) their own powers; another admin does.
    if (rolesChanged && userId === actor.userId)
      throw new ForbiddenError('an admin cannot change their own roles');
    const next: UserDocument = {
      ...existing,
      displayName: body.displayName ?? existing.displayName,
      roles,
      jurisdiction: body.jurisdiction ?? existing.jurisdiction,
      ...(body.providerId !== undefined ? { providerId: body.providerId } : {}),
      status: body.status ?? existing.status,
      version: existing.version + 1,
      updatedAt: new Date(),
    };
    const errors = this.grantProblems(next, actor);
    if (errors.length > 0) throw new ValidationError(errors, 400);
    if (!(await this.users.replace(next, existing.version))) {
      const current = await this.users.get(userId);
      throw new ConflictError(`user ${userId} was changed meanwhile`, { version: current?.version });
    }
    if (rolesChanged) await this.recordRoleChange(actor, next);
    const powersChanged =
      rolesChanged ||
      next.jurisdiction !== existing.jurisdiction ||
      next.providerId !== existing.providerId ||
      next.status !== existing.status;
    if (powersChanged) await this.sessions.revokeAllOf(userId, 'user-changed');
    return next;
  }

  /** An admin sets a user's password (a forgotten one): every session of the user ends. */
  async setPassword(userId: string, body: SetPasswordDto, actor: Actor): Promise<void> {
    const user = await this.get(userId, actor);
    await this.replacePassword(user, body.password, 'password');
    await this.sessions.revokeAllOf(userId, 'password-changed');
  }

  /** An admin lifts a lockout before it runs out. */
  async unlock(userId: string, actor: Actor): Promise<void> {
    const user = await this.get(userId, actor);
    if (user.failedAttempts === 0 && user.lockedUntil == null) return;
    if (!(await this.users.setSignInState(userId, user, afterSuccess()))) {
      // Another attempt counted meanwhile; the lift wins over it.
      const current = await this.get(userId, actor);
      await this.users.setSignInState(userId, current, afterSuccess());
    }
  }

  /** The caller's own user (404 for a token of an outside issuer, whose users live elsewhere). */
  async me(actor: Actor): Promise<UserDocument> {
    const user = await this.users.get(actor.userId);
    if (!user) throw new NotFoundError('user', actor.userId);
    return user;
  }

  /**
   * The caller changes their own password, proving the current one (a stolen access token alone cannot); wrong
   * guesses count towards the lockout like sign-ins. Every other session of theirs ends; the calling one stays.
   */
  async changeMyPassword(actor: Actor, body: ChangeMyPasswordDto, sessionId?: string): Promise<void> {
    const check = await this.credentials.check(actor.userId, body.currentPassword);
    if (check.outcome === 'locked') throw new AccountLockedError();
    if (check.outcome === 'unknown-user') throw new NotFoundError('user', actor.userId);
    if (check.outcome === 'disabled') throw new UnauthorizedError('The account is disabled');
    if (check.outcome !== 'ok') {
      throw ValidationError.field('currentPassword', 'is not the current password', 422);
    }
    if (body.newPassword === body.currentPassword) {
      throw ValidationError.field('newPassword', 'must differ from the current password', 422);
    }
    await this.replacePassword(check.user, body.newPassword, 'newPassword');
    await this.sessions.revokeAllOf(actor.userId, 'password-changed', sessionId);
  }

  private async replacePassword(user: UserDocument, password: string, field: string): Promise<void> {
    const weak = passwordProblem(password, user._id, config.PASSWORD_MIN_LENGTH);
    if (weak) throw ValidationError.field(field, weak, 400);
    const next: UserDocument = {
      ...user,
      passwordHash: await hashPassword(password),
      ...afterSuccess(),
      version: user.version + 1,
      updatedAt: new Date(),
    };
    if (!(await this.users.replace(next, user.version))) {
      throw new ConflictError(`user ${user._id} was changed meanwhile; try again`);
    }
  }

  /** What an admin may not grant: a jurisdiction outside their own; a provider user without their provider. */
  private grantProblems(
    user: Pick<UserDocument, 'jurisdiction' | 'roles' | 'providerId'>,
    actor: Actor,
  ): FieldError[] {
    const errors: FieldError[] = [];
    if (!actor.covers(user.jurisdiction)) {
      errors.push({
        field: 'jurisdiction',
        message: `${user.jurisdiction} is outside the caller's jurisdiction ${actor.jurisdiction}`,
      });
    }
    if (user.roles.includes('provider') && !user.providerId) {
      errors.push({ field: 'providerId', message: 'a provider user needs the provider they act for' });
    }
    return errors;
  }

  private async recordRoleChange(actor: Actor, user: UserDocument): Promise<void> {
    await this.audit?.record({
      actor,
      action: 'role.changed',
      resource: { type: 'user', id: user._id, jurisdiction: user.jurisdiction },
    });
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}
