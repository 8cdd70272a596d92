// Environment configuration: each service declares a TypeBox schema (the common one plus its own variables),
// validated once at start-up so a bad deployment fails before it serves or consumes anything.
import { Inject } from '@nestjs/common';
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

const KIB = 1024;
const MIB = 1024 * KIB;

/** Defaults of the common variables, named so a reader finds them in one place. */
export const PLATFORM_DEFAULTS = {
  HTTP_HOST: '127.0.0.1',
  HTTP_PORT: 3000,
  LOG_LEVEL: 'info',
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGO_URL: 'mongodb://127.0.0.1:27017',
  REDIS_URL: 'redis://127.0.0.1:6379',
  /** Large enough for any JSON command or Open311 form; uploads (photos) belong in object storage, not bodies. */
  BODY_LIMIT_BYTES: MIB,
  /** A readiness check slower than this counts as failed: a probe that hangs tells Kubernetes nothing. */
  READINESS_CHECK_TIMEOUT_MS: 2_000,
} as const;

const MAX_TCP_PORT = 65_535;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables every Linli service reads. Services extend it with `Type.Composite([CommonConfigSchema, ...])`. */
export const CommonConfigSchema = Type.Object({
  /** Overrides the service name given to PlatformModule.forRoot in logs and OpenAPI (e.g. per deployment). */
  SERVICE_NAME: Type.Optional(Type.String({ minLength: 1 })),
  HTTP_HOST: Type.String({ minLength: 1, default: PLATFORM_DEFAULTS.HTTP_HOST }),
  /** 0 asks the OS for a free port (tests). */
  HTTP_PORT: Type.Integer({ minimum: 0, maximum: MAX_TCP_PORT, default: PLATFORM_DEFAULTS.HTTP_PORT }),
  // An enum (not a union of literals) so a wrong value gets one error listing the allowed ones.
  LOG_LEVEL: Type.Unsafe<LogLevel>({
    type: 'string',
    enum: [...LOG_LEVELS],
    default: PLATFORM_DEFAULTS.LOG_LEVEL,
  }),
  /** Comma-separated host:port list. */
  KAFKA_BROKERS: Type.String({ minLength: 1, default: PLATFORM_DEFAULTS.KAFKA_BROKERS }),
  MONGO_URL: Type.String({ pattern: '^mongodb(\\+srv)?://', default: PLATFORM_DEFAULTS.MONGO_URL }),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: PLATFORM_DEFAULTS.REDIS_URL }),
  /** Redis Sentinel instead of REDIS_URL's host (Kubernetes): comma-separated host[:port] list, and the monitored
   *  primary's name. REDIS_URL still gives the password and database. See libs/platform/src/redis. */
  REDIS_SENTINELS: Type.Optional(
    Type.String({ pattern: '^[^\\s:,]+(:[0-9]{1,5})?(,[^\\s:,]+(:[0-9]{1,5})?)*$' }),
  ),
  REDIS_SENTINEL_NAME: Type.Optional(Type.String({ minLength: 1 })),
  BODY_LIMIT_BYTES: Type.Integer({ minimum: 1, default: PLATFORM_DEFAULTS.BODY_LIMIT_BYTES }),
  READINESS_CHECK_TIMEOUT_MS: Type.Integer({
    minimum: 1,
    default: PLATFORM_DEFAULTS.READINESS_CHECK_TIMEOUT_MS,
  }),
});

export type CommonConfig = Static<typeof CommonConfigSchema>;

/** Thrown by defineConfig: one line per bad or missing variable, so one restart fixes them all. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid environment configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

// allErrors: report every bad variable at once; coerceTypes: the environment is all strings;
// useDefaults: the schema is where defaults live.
const ajv = addFormats(new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: false }));

/**
 * Validates the environment against `schema` (coercing strings to numbers and booleans, filling defaults) and
 * returns the typed, frozen result. Call it once, at start-up; it throws ConfigValidationError naming each bad or
 * missing variable. Values are never echoed in the error: a malformed URL may carry a password.
 */
export function defineConfig<P extends TProperties>(
  schema: TObject<P>,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<Static<TObject<P>>> {
  // Only the declared variables, and an empty string counts as unset (compose files often write `FOO=`).
  const input: Record<string, string> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const validate = ajv.compile(schema);
  if (!validate(input)) {
    throw new ConfigValidationError(describeErrors(validate.errors ?? []));
  }
  return Object.freeze(input as unknown as Static<TObject<P>>);
}

function describeErrors(errors: readonly ErrorObject[]): string[] {
  const byVariable = new Map<string, string>();
  for (const error of errors) {
    if (error.keyword === 'required') {
      const name = String((error.params as { missingProperty: string }).missingProperty);
      byVariable.set(name, `${name} is required`);
      continue;
    }
    const name = error.instancePath.replace(/^\//, '').split('/')[0] ?? '';
    // The first complaint per variable is enough to fix it.
    if (byVariable.has(name)) continue;
    byVariable.set(name, `${name} ${describeRule(error)}`);
  }
  return [...byVariable.values()];
}

function describeRule(error: ErrorObject): string {
  if (error.keyword === 'enum') {
    return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  return error.message ?? 'is invalid';
}

/** Injection token of the validated configuration object. */
export const PLATFORM_CONFIG = Symbol('linli.platform.config');

/** Injects the configuration validated by defineConfig: `constructor(@InjectConfig() config: DispatchConfig)`. */
export const InjectConfig = (): ParameterDecorator => Inject(PLATFORM_CONFIG);
