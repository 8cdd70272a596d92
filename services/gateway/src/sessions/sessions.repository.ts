// Every query and write of sessions. A refresh finds its session by _id (the sid in the token), the one lookup
// mongo-java-server serves from an index (ADR 0004).
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { SESSION_MODEL } from '../models';
import type { RevocationReason, SessionDocument } from './session.schema';

@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(SESSION_MODEL) private readonly sessions: Model<SessionDocument>) {}

  async get(sessionId: string): Promise<SessionDocument | null> {
    return this.sessions.findOne({ _id: sessionId }).lean<SessionDocument>().exec();
  }

  async insert(session: SessionDocument): Promise<void> {
    await this.sessions.collection.insertOne(session as never);
  }

  /**
   * Swaps the current refresh token for the next one, only while `presentedHash` is still the current one and the
   * session is not revoked: of two refreshes with the same token, one rotates and the other finds it used.
   */
  async rotate(sessionId: string, presentedHash: string, nextHash: string, now: Date): Promise<boolean> {
    const result = await this.sessions.collection.updateOne(
      { _id: sessionId, refreshTokenHash: presentedHash, revokedAt: null } as never,
      {
        $set: { refreshTokenHash: nextHash, refreshedAt: now },
        $push: { usedRefreshTokenHashes: presentedHash },
      } as never,
    );
    return result.matchedCount === 1;
  }

  /** Revokes the session if it is not already; true when this call revoked it. */
  async revoke(sessionId: string, reason: RevocationReason, now: Date): Promise<boolean> {
    const result = await this.sessions.collection.updateOne({ _id: sessionId, revokedAt: null } as never, {
      $set: { revokedAt: now, revokedReason: reason },
    });
    return result.modifiedCount === 1;
  }

  /** Ids of the user's sessions still open (not revoked, not past their end). */
  async openSessionIds(userId: string, now: Date): Promise<string[]> {
    const sessions = await this.sessions
      .find({ userId, revokedAt: null, expiresAt: { $gt: now } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return sessions.map((session) => session._id);
  }

  /** Sessions revoked since `since`: what Redis must know again after losing its keys. */
  async revokedSince(since: Date): Promise<string[]> {
    const sessions = await this.sessions
      .find({ revokedAt: { $gte: since } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    return sessions.map((session) => session._id);
  }
}
