// What the gateway's integration tests share: the gateway as a process (its bootstrap admin, short settings given
// per suite), sign-in and bearer headers, and its MongoDB database and Redis keys read as they are stored.
import { call, type Json, type Response } from '@linli/testing';
export { call, type Json, type Response };
import { namespaced } from '@linli/platform';
import { startService, type ServiceProcess } from '@linli/testing';
import { Redis } from 'ioredis';
import { MongoClient, type Db } from 'mongodb';

export type { ServiceProcess };

/** The bootstrap admin's password in tests (user `admin`, role admin, jurisdiction 32). */
export const BOOTSTRAP_ADMIN_PASSWORD = 'gateway-admin-password-2026';
/** A password good enough for the policy (12+ characters), for users the tests create. */
export const TEST_PASSWORD = 'linli-test-2026!';

/** Fast group membership, so the gateway's consumer is ready in seconds. */
const FAST_CONSUMER_ENV = { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' };
/**
 * A suite signs in from one address far more often than a person does: the sign-in rate limit (20 a minute by
 * default) is the edge suite's to test, with its own low setting.
 */
const SUITE_RATE_LIMIT_ENV = { LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '10000' };

/** The gateway as its own process on the real stack, with the bootstrap admin; `env` overrides settings. */
export function startGateway(env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startService({
    name: 'gateway',
    env: { ...FAST_CONSUMER_ENV, ...SUITE_RATE_LIMIT_ENV, BOOTSTRAP_ADMIN_PASSWORD, ...env },
    readyTimeoutMs: 90_000,
  });
}

export function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Bearer ${accessToken}` };
}

/** POST /auth/login. */
export function signIn(gateway: ServiceProcess, username: string, password: string): Promise<Response> {
  return call(gateway, 'POST', '/auth/login', {}, { username, password });
}

/** Signs in and answers the bearer header of the access token (fails the test when sign-in fails). */
export async function signedIn(
  gateway: ServiceProcess,
  username: string,
  password: string,
): Promise<{ headers: Record<string, string>; tokens: Json }> {
  const response = await signIn(gateway, username, password);
  if (response.status !== 200) {
    throw new Error(`sign-in of ${username} answered ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return { headers: bearer(response.body.accessToken as string), tokens: response.body };
}

/** The gateway's database and Redis keys as they are stored (the test's namespace applied). */
export class GatewayStore {
  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
    readonly redis: Redis,
  ) {}

  static async connect(): Promise<GatewayStore> {
    const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    await client.connect();
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    return new GatewayStore(client, client.db(namespaced('linli-gateway', '-')), redis);
  }

  user(userId: string): Promise<Json | null> {
    return this.db.collection('users').findOne({ _id: userId as never });
  }

  session(sessionId: string): Promise<Json | null> {
    return this.db.collection('sessions').findOne({ _id: sessionId as never });
  }

  /** The Redis key the edge reads to refuse a revoked session's access tokens. */
  revokedSessionKey(sessionId: string): string {
    return `${namespaced('linli:gateway:revoked-session', ':')}:${sessionId}`;
  }

  /** The key whose presence says Redis still holds every revocation (without it the gateway asks MongoDB). */
  revokedSessionsMarkerKey(): string {
    return namespaced('linli:gateway:revoked-sessions-complete', ':');
  }

  async close(): Promise<void> {
    await this.client.close();
    this.redis.disconnect();
  }
}
