import { ConfigValidationError } from '../config/config';
import { redisConnectionOptions } from './redis-connection';

describe('redisConnectionOptions', () => {
  it('connects to the host of REDIS_URL when no sentinels are given', () => {
    expect(redisConnectionOptions({ REDIS_URL: 'redis://cache.local:6380/2' })).toEqual({
      host: 'cache.local',
      port: 6380,
      db: 2,
    });
  });

  it('defaults the port and database, and keeps credentials and TLS from the URL', () => {
    expect(redisConnectionOptions({ REDIS_URL: 'rediss://app:p%40ss@cache' })).toEqual({
      host: 'cache',
      port: 6379,
      db: 0,
      username: 'app',
      password: 'p@ss',
      tls: {},
    });
  });

  it('asks the sentinels for the named primary, with the password and database of REDIS_URL', () => {
    const options = redisConnectionOptions({
      REDIS_URL: 'redis://:secret@ignored:6379/1',
      REDIS_SENTINELS: 'redis-sentinel-0.redis:26379, redis-sentinel-1.redis:26380,redis-sentinel-2.redis',
      REDIS_SENTINEL_NAME: 'linli',
    });
    expect(options).toEqual({
      name: 'linli',
      password: 'secret',
      db: 1,
      sentinels: [
        { host: 'redis-sentinel-0.redis', port: 26379 },
        { host: 'redis-sentinel-1.redis', port: 26380 },
        { host: 'redis-sentinel-2.redis', port: 26379 },
      ],
    });
    expect(options).not.toHaveProperty('host');
  });

  it.each([
    [{ REDIS_URL: 'redis://x', REDIS_SENTINELS: 's:26379' }, 'REDIS_SENTINEL_NAME is required'],
    [
      { REDIS_URL: 'redis://x', REDIS_SENTINELS: 's:99999', REDIS_SENTINEL_NAME: 'n' },
      'REDIS_SENTINELS must',
    ],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL must be a redis://'],
    [{ REDIS_URL: 'redis://x/cache' }, 'REDIS_URL must end in a database number'],
  ])('refuses %j, naming the variable', (settings, problem) => {
    expect(() => redisConnectionOptions(settings)).toThrow(ConfigValidationError);
    expect(() => redisConnectionOptions(settings)).toThrow(problem);
  });

  it('never echoes a password in its error', () => {
    expect(() => redisConnectionOptions({ REDIS_URL: 'redis://:hunter2@x/db' })).not.toThrow(/hunter2/);
  });
});
