import { Type } from '@sinclair/typebox';
import { CommonConfigSchema, ConfigValidationError, PLATFORM_DEFAULTS, defineConfig } from './config';

const ServiceSchema = Type.Composite([
  CommonConfigSchema,
  Type.Object({
    OFFER_TTL_MS: Type.Integer({ minimum: 1 }),
    STRICT_MODE: Type.Boolean({ default: false }),
  }),
]);

function problemsOf(env: NodeJS.ProcessEnv): readonly string[] {
  try {
    defineConfig(ServiceSchema, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('defineConfig', () => {
  it('fills the common defaults and coerces strings to numbers and booleans', () => {
    const config = defineConfig(ServiceSchema, { OFFER_TTL_MS: '60000', STRICT_MODE: 'true' });
    expect(config).toEqual({
      HTTP_HOST: PLATFORM_DEFAULTS.HTTP_HOST,
      HTTP_PORT: PLATFORM_DEFAULTS.HTTP_PORT,
      LOG_LEVEL: PLATFORM_DEFAULTS.LOG_LEVEL,
      KAFKA_BROKERS: PLATFORM_DEFAULTS.KAFKA_BROKERS,
      MONGO_URL: PLATFORM_DEFAULTS.MONGO_URL,
      REDIS_URL: PLATFORM_DEFAULTS.REDIS_URL,
      BODY_LIMIT_BYTES: PLATFORM_DEFAULTS.BODY_LIMIT_BYTES,
      READINESS_CHECK_TIMEOUT_MS: PLATFORM_DEFAULTS.READINESS_CHECK_TIMEOUT_MS,
      OFFER_TTL_MS: 60_000,
      STRICT_MODE: true,
    });
  });

  it('returns a frozen object with only the declared variables', () => {
    const config = defineConfig(ServiceSchema, { OFFER_TTL_MS: '1', PATH: '/usr/bin', HTTP_PORT: '8080' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(config).not.toHaveProperty('PATH');
    expect(config.HTTP_PORT).toBe(8080);
  });

  it('treats an empty variable as unset, so its default applies', () => {
    expect(defineConfig(ServiceSchema, { OFFER_TTL_MS: '1', HTTP_HOST: '' }).HTTP_HOST).toBe(
      PLATFORM_DEFAULTS.HTTP_HOST,
    );
  });

  it.each([
    ['a missing required variable', { HTTP_PORT: '80' }, ['OFFER_TTL_MS is required']],
    [
      'a port that is not a number',
      { OFFER_TTL_MS: '1', HTTP_PORT: 'eighty' },
      ['HTTP_PORT must be integer'],
    ],
    ['a port out of range', { OFFER_TTL_MS: '1', HTTP_PORT: '70000' }, ['HTTP_PORT must be <= 65535']],
    [
      'an unknown log level',
      { OFFER_TTL_MS: '1', LOG_LEVEL: 'verbose' },
      ['LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    ],
    [
      'a MongoDB URL with the wrong scheme',
      { OFFER_TTL_MS: '1', MONGO_URL: 'http://db' },
      ['MONGO_URL must match pattern "^mongodb(\\+srv)?://"'],
    ],
    ['a non-boolean flag', { OFFER_TTL_MS: '1', STRICT_MODE: 'perhaps' }, ['STRICT_MODE must be boolean']],
  ])('names %s', (_case, env, expected) => {
    expect(problemsOf(env)).toEqual(expected);
  });

  it('names every bad variable at once, never echoing a value', () => {
    const secretUrl = 'http://admin:s3cret@db';
    const error = (() => {
      try {
        defineConfig(ServiceSchema, { HTTP_PORT: 'x', MONGO_URL: secretUrl });
      } catch (caught) {
        return caught as ConfigValidationError;
      }
      throw new Error('expected the configuration to be rejected');
    })();
    expect(error.problems).toHaveLength(3);
    expect(error.message).toContain('OFFER_TTL_MS is required');
    expect(error.message).toContain('HTTP_PORT must be integer');
    expect(error.message).toContain('MONGO_URL must match pattern');
    expect(error.message).not.toContain('s3cret');
  });
});
