// The use cases of sessions: sign in (a session, an access token, a refresh token), refresh (rotation; a used
// token presented again ends the session), sign out, the ending of a user's sessions when their password or powers
// change, and the question the edge asks of every request: is this token's session revoked?
import { Actor, AUTH_SETTINGS, signToken, type TokenSettings } from '@linli/auth';
import { AuditTrail, type AuditRecordInput } from '@linli/audit';
import { UnauthorizedError } from '@linli/platform';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { config } from '../config';
import { CredentialsService } from '../users/credentials.service';
import { toUserView, type UserView } from '../users/dto/user.dto';
import { USERNAME_PATTERN } from '../users/user.rules';
import type { UserDocument } from '../users/user.schema';
import { AccountLockedError, invalidCredentials } from '../users/users.errors';
import { UsersRepository } from '../users/users.repository';
import { REVOCATION_MARGIN_SECONDS, RevokedSessions } from './revoked-sessions';
import {
  hashRefreshToken,
  judgeRefresh,
  newRefreshToken,
  newSessionId,
  secondsUntil,
  sessionIdOfRefreshToken,
} from './session.rules';
import type { RevocationReason, SessionDocument } from './session.schema';
import { SessionsRepository } from './sessions.repository';

export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds the access token is valid. */
  expiresIn: number;
  refreshToken: string;
  /** Seconds until the session ends (no refresh after that). */
  refreshExpiresIn: number;
  user: UserView;
}

/** After a failed attempt to write the revocations back to Redis, the next waits this long. */
const RESTORE_RETRY_MS = 5_000;

@Injectable()
export class SessionsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SessionsService.name);
  private restoring?: Promise<void>;
  private lastRestoreFailure = 0;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly revoked: RevokedSessions,
    private readonly credentials: CredentialsService,
    private readonly users: UsersRepository,
    @Inject(AUTH_SETTINGS) private readonly tokenSettings: TokenSettings,
    @Optional() private readonly audit?: AuditTrail,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.restoreRevocations();
  }

  async signIn(username: string, password: string): Promise<TokenResponse> {
    const check = await this.credentials.check(username, password);
    if (check.outcome !== 'ok') {
      const actor =
        check.outcome === 'unknown-user'
          ? unknownActor(username)
          : new Actor(check.user._id, check.user.roles, check.user.jurisdiction);
      if (actor) await this.record({ actor, action: 'sign-in.failed', outcome: 'denied' });
      throw check.outcome === 'locked' ? new AccountLockedError() : invalidCredentials();
    }
    const user = check.user;
    const now = new Date();
    const session: SessionDocument = {
      _id: newSessionId(),
      userId: user._id,
      refreshTokenHash: '',
      usedRefreshTokenHashes: [],
      createdAt: now,
      refreshedAt: now,
      expiresAt: new Date(now.getTime() + config.REFRESH_TOKEN_TTL_SECONDS * 1000),
      revokedAt: null,
    };
    const refreshToken = newRefreshToken(session._id);
    session.refreshTokenHash = hashRefreshToken(refreshToken);
    await this.sessions.insert(session);
    await this.record({
      actor: new Actor(user._id, user.roles, user.jurisdiction, user.providerId),
      action: 'sign-in',
      outcome: 'allowed',
      resource: { type: 'session', id: session._id, jurisdiction: user.jurisdiction },
    });
    return this.issue(user, session, refreshToken, now);
  }

  /** A new access token and the next refresh token; the presented one is used up. */
  async refresh(refreshToken: string): Promise<TokenResponse> {
    const refused = () => new UnauthorizedError('The refresh token is invalid, expired or revoked');
    const sessionId = sessionIdOfRefreshToken(refreshToken);
    const session = sessionId ? await this.sessions.get(sessionId) : null;
    if (!session) throw refused();
    const now = new Date();
    const presented = hashRefreshToken(refreshToken);
    const verdict = judgeRefresh(session, presented, now);
    if (verdict === 'reused') {
      // Two holders of one token: the thief's or the user's next refresh is refused, and the session ends for both.
      this.logger.warn({ msg: 'refresh token used twice: session revoked', sessionId: session._id });
      await this.revoke([session._id], 'refresh-reuse');
      throw refused();
    }
    if (verdict !== 'current') throw refused();
    const user = await this.users.get(session.userId);
    if (!user || user.status !== 'active') {
      await this.revoke([session._id], 'user-changed');
      throw refused();
    }
    const next = newRefreshToken(session._id);
    if (!(await this.sessions.rotate(session._id, presented, hashRefreshToken(next), now))) {
      // Another refresh with the same token won the write: this one is its second use.
      this.logger.warn({ msg: 'refresh token used twice at once: session revoked', sessionId: session._id });
      await this.revoke([session._id], 'refresh-reuse');
      throw refused();
    }
    return this.issue(user, session, next, now);
  }

  /** Ends the caller's session (the one their token was issued in); a token without a session ends nothing. */
  async signOut(actor: Actor, sessionId: string | undefined): Promise<void> {
    const session = sessionId ? await this.sessions.get(sessionId) : null;
    if (!session || session.userId !== actor.userId) return;
    await this.revoke([session._id], 'sign-out');
    await this.record({
      actor,
      action: 'sign-out',
      outcome: 'allowed',
      resource: { type: 'session', id: session._id, jurisdiction: actor.jurisdiction },
    });
  }

  /** Ends every open session of the user (but `exceptSessionId`, the caller's own when they change their password). */
  async revokeAllOf(userId: string, reason: RevocationReason, exceptSessionId?: string): Promise<void> {
    const open = await this.sessions.openSessionIds(userId, new Date());
    await this.revoke(
      open.filter((sessionId) => sessionId !== exceptSessionId),
      reason,
    );
  }

  /**
   * Whether access tokens of this session must be refused (revoked, or no such session). One Redis round trip
   * normally; the session document when Redis cannot vouch for its keys.
   */
  async isRevoked(sessionId: string): Promise<boolean> {
    const lookup = await this.revoked.lookup(sessionId);
    if (lookup !== 'unknown') return lookup === 'revoked';
    void this.restoreRevocations();
    const session = await this.sessions.get(sessionId);
    return !session || session.revokedAt !== null;
  }

  private async revoke(sessionIds: readonly string[], reason: RevocationReason): Promise<void> {
    if (sessionIds.length === 0) return;
    const now = new Date();
    // MongoDB first: it is the record, and what lookups fall back to if the Redis write is lost.
    for (const sessionId of sessionIds) await this.sessions.revoke(sessionId, reason, now);
    await this.revoked.add(sessionIds);
  }

  /**
   * Writes the revocations of the last access-token lifetime back to Redis, once at a time. Only a failed attempt
   * holds the next one off (Redis away: not a MongoDB query per request); after a success, a marker lost again
   * (another flush) is restored at the next lookup.
   */
  private restoreRevocations(): Promise<void> {
    if (this.restoring) return this.restoring;
    if (Date.now() - this.lastRestoreFailure < RESTORE_RETRY_MS) return Promise.resolve();
    const lifetimeMs = (config.ACCESS_TOKEN_TTL_SECONDS + REVOCATION_MARGIN_SECONDS) * 1000;
    this.restoring = this.sessions
      .revokedSince(new Date(Date.now() - lifetimeMs))
      .then((sessionIds) => this.revoked.restore(sessionIds))
      .then(() => this.logger.log({ msg: 'revoked sessions written to redis' }))
      .catch((error: Error) => {
        this.lastRestoreFailure = Date.now();
        this.logger.warn({ msg: 'revoked sessions not restored to redis', error: error.message });
      })
      .finally(() => (this.restoring = undefined));
    return this.restoring;
  }

  private issue(
    user: UserDocument,
    session: SessionDocument,
    refreshToken: string,
    now: Date,
  ): TokenResponse {
    const accessToken = signToken(
      {
        sub: user._id,
        roles: user.roles,
        jurisdiction: user.jurisdiction,
        ...(user.providerId ? { providerId: user.providerId } : {}),
        name: user.displayName,
        sid: session._id,
        jti: randomUUID(),
      },
      this.tokenSettings,
      config.ACCESS_TOKEN_TTL_SECONDS,
    );
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshToken,
      refreshExpiresIn: secondsUntil(session.expiresAt, now),
      user: toUserView(user, now),
    };
  }

  /** The address and correlation id are the current request's (the audit library reads them, proxies considered). */
  private async record(input: AuditRecordInput): Promise<void> {
    await this.audit?.record(input);
  }
}

/**
 * The actor of a failed sign-in as an unknown username: the name tried, with no role and no jurisdiction (as the
 * audit library takes a caller without credentials); a string that could not be a username is not recorded (it could be anything, even a
 * password typed in the wrong box).
 */
function unknownActor(username: string): AuditRecordInput['actor'] | undefined {
  const userId = username.trim().toLowerCase();
  return USERNAME_PATTERN.test(userId) ? { userId, role: '', jurisdiction: '' } : undefined;
}
