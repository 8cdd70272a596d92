// Every query and write of users. Reads by id go by _id alone (the index mongo-java-server uses; ADR 0004) and the
// jurisdiction is checked on what comes back; lists carry the caller's scope in the query.
import type { Actor, Role } from '@linli/auth';
import { isDuplicateKey } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { USER_MODEL } from '../models';
import type { SignInState } from './user.rules';
import type { UserDocument, UserStatus } from './user.schema';

export interface UserFilter {
  role?: Role;
  jurisdiction?: string;
  status?: UserStatus;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectModel(USER_MODEL) private readonly users: Model<UserDocument>) {}

  async get(userId: string): Promise<UserDocument | null> {
    return this.users.findOne({ _id: userId }).lean<UserDocument>().exec();
  }

  /** The user when the actor's jurisdiction covers theirs; another jurisdiction's user is as good as absent. */
  async getWithin(userId: string, actor: Actor): Promise<UserDocument | null> {
    const user = await this.get(userId);
    return user && actor.covers(user.jurisdiction) ? user : null;
  }

  /** Inserts a new user; false when the username is taken. */
  async insert(user: UserDocument): Promise<boolean> {
    try {
      await this.users.collection.insertOne(user as never);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async any(): Promise<boolean> {
    return (await this.users.findOne({}, { _id: 1 }).lean().exec()) !== null;
  }

  /** Replaces the user at the version read; false when someone changed it first. */
  async replace(user: UserDocument, expectedVersion: number): Promise<boolean> {
    const result = await this.users.collection.replaceOne(
      { _id: user._id, version: expectedVersion } as never,
      user as never,
    );
    return result.matchedCount === 1;
  }

  /**
   * The sign-in bookkeeping as one conditional write: applied only when the count and lock are still what the
   * attempt read, so two attempts at once cannot both write from the same count (the loser reads again and
   * counts on top). `rehash` replaces a hash with today's parameters. Not a change of the user: no version.
   */
  async setSignInState(
    userId: string,
    expected: SignInState,
    next: Required<SignInState>,
    rehash?: { from: string; to: string },
  ): Promise<boolean> {
    const result = await this.users.collection.updateOne(
      {
        _id: userId,
        failedAttempts: expected.failedAttempts,
        lockedUntil: expected.lockedUntil ?? null,
        // A re-made hash replaces only the one it was checked against, never a password changed meanwhile.
        ...(rehash ? { passwordHash: rehash.from } : {}),
      } as never,
      { $set: { ...next, ...(rehash ? { passwordHash: rehash.to } : {}) } },
    );
    return result.matchedCount === 1;
  }

  async list(actor: Actor, filter: UserFilter, page: number, pageSize: number): Promise<UserDocument[]> {
    // A jurisdiction asked for is looked at inside the caller's: the longer of the two prefixes, when one
    // contains the other; two apart answer nothing.
    let scope = actor.jurisdiction;
    if (filter.jurisdiction !== undefined) {
      if (filter.jurisdiction.startsWith(scope)) scope = filter.jurisdiction;
      else if (!scope.startsWith(filter.jurisdiction)) return [];
    }
    return this.users
      .find({
        ...(scope === '' ? {} : { jurisdiction: { $regex: `^${scope}` } }),
        ...(filter.role ? { roles: filter.role } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      })
      .sort({ _id: 1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean<UserDocument[]>()
      .exec();
  }
}
