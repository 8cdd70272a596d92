// How every Linli process connects to Redis: a plain REDIS_URL (the local stack, docker compose), or Redis Sentinel
// (Kubernetes, deploy/k8s) when REDIS_SENTINELS is set. In Sentinel mode REDIS_URL still gives the password and the
// database number; its host is ignored, since the sentinels name the current primary and ioredis follows failovers.
import type { RedisOptions } from 'ioredis';
import { ConfigValidationError } from '../config/config';

export interface RedisSettings {
  REDIS_URL: string;
  /** Comma-separated host:port list of the sentinels. */
  REDIS_SENTINELS?: string;
  /** The name the sentinels monitor the primary under (`sentinel monitor <name> ...`). */
  REDIS_SENTINEL_NAME?: string;
}

const DEFAULT_REDIS_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;

/** The ioredis options of `settings`; throws ConfigValidationError naming the variable at fault. */
export function redisConnectionOptions(settings: RedisSettings): RedisOptions {
  const url = parseRedisUrl(settings.REDIS_URL);
  const credentials: RedisOptions = {
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    db: databaseOf(url),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  const sentinels = settings.REDIS_SENTINELS?.trim();
  if (!sentinels) {
    return { ...credentials, host: url.hostname, port: Number(url.port || DEFAULT_REDIS_PORT) };
  }
  const name = settings.REDIS_SENTINEL_NAME?.trim();
  if (!name) throw new ConfigValidationError(['REDIS_SENTINEL_NAME is required when REDIS_SENTINELS is set']);
  return {
    ...credentials,
    name,
    sentinels: sentinels.split(',').map(sentinelAddress),
    // The sentinels themselves answer over TLS only when the data nodes do.
    ...(url.protocol === 'rediss:' ? { enableTLSForSentinelMode: true } : {}),
  };
}

function parseRedisUrl(value: string): URL {
  try {
    const url = new URL(value);
    if (url.protocol === 'redis:' || url.protocol === 'rediss:') return url;
  } catch {
    // reported below, without echoing a value that may carry a password
  }
  throw new ConfigValidationError(['REDIS_URL must be a redis:// or rediss:// URL']);
}

function databaseOf(url: URL): number {
  const path = url.pathname.replace(/^\//, '');
  if (path === '') return 0;
  if (!/^\d+$/.test(path)) throw new ConfigValidationError(['REDIS_URL must end in a database number']);
  return Number(path);
}

function sentinelAddress(entry: string): { host: string; port: number } {
  const match = /^\s*([^\s:,]+)(?::(\d{1,5}))?\s*$/.exec(entry);
  const port = Number(match?.[2] ?? DEFAULT_SENTINEL_PORT);
  if (!match || port < 1 || port > 65_535) {
    throw new ConfigValidationError(['REDIS_SENTINELS must be a comma-separated host:port list']);
  }
  return { host: match[1] as string, port };
}
