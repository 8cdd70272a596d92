// The revoked sessions in Redis, for the gateway to refuse their access tokens on every request at the cost of one
// round trip: `linli:gateway:revoked-session:<sid>` lives as long as an access token. MongoDB is the record; a
// marker key tells that Redis still holds every revocation (it keeps nothing on disk and may be flushed): without
// it, or when Redis does not answer, the session document decides (ADR 0023).
import { namespaced, redisConnectionOptions } from '@linli/platform';
import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { config } from '../config';

export const REVOKED_SESSION_KEY = 'linli:gateway:revoked-session';
const COMPLETE_MARKER_KEY = 'linli:gateway:revoked-sessions-complete';
/** Keys outlive the access tokens they stop by this much: clocks of instances differ by a little. */
export const REVOCATION_MARGIN_SECONDS = 60;
/** A lookup slower than this counts as no answer (the session document then decides). */
const REDIS_COMMAND_TIMEOUT_MS = 1_000;

export type RevocationLookup = 'revoked' | 'not-revoked' | 'unknown';

@Injectable()
export class RevokedSessions implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RevokedSessions.name);
  private readonly redis = new Redis({
    ...redisConnectionOptions(config),
    connectionName: 'linli-gateway-sessions',
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    // Fail at once while disconnected instead of queueing: a request waits for MongoDB, not for a reconnect.
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  private readonly prefix = namespaced(REVOKED_SESSION_KEY, ':');
  private readonly marker = namespaced(COMPLETE_MARKER_KEY, ':');
  readonly ttlSeconds = config.ACCESS_TOKEN_TTL_SECONDS + REVOCATION_MARGIN_SECONDS;

  async onModuleInit(): Promise<void> {
    this.redis.on('error', (error: Error) =>
      this.logger.warn({ msg: 'redis connection error (revoked sessions)', error: error.message }),
    );
    await this.redis.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  key(sessionId: string): string {
    return `${this.prefix}:${sessionId}`;
  }

  /** Writes the revocations; on failure the marker goes, so lookups fall back to MongoDB until it is restored. */
  async add(sessionIds: readonly string[]): Promise<void> {
    try {
      await this.write(sessionIds);
    } catch (error) {
      this.logger.warn({ msg: 'revocation not written to redis', error: (error as Error).message });
      await this.redis.del(this.marker).catch(() => undefined);
    }
  }

  private async write(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const batch = this.redis.multi();
    for (const sessionId of sessionIds) batch.set(this.key(sessionId), '1', 'EX', this.ttlSeconds);
    const results = await batch.exec();
    const failed =
      results === null ? new Error('transaction discarded') : results.find(([error]) => error)?.[0];
    if (failed) throw failed;
  }

  async lookup(sessionId: string): Promise<RevocationLookup> {
    try {
      const [revoked, complete] = await this.redis.mget(this.key(sessionId), this.marker);
      if (revoked) return 'revoked';
      return complete ? 'not-revoked' : 'unknown';
    } catch {
      return 'unknown';
    }
  }

  /** Writes back the revocations still relevant and then the marker (after they are all there, not before). */
  async restore(sessionIds: readonly string[]): Promise<void> {
    await this.write(sessionIds);
    await this.redis.set(this.marker, new Date().toISOString());
  }
}
