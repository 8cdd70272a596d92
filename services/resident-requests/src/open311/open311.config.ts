// Open311's own environment, validated when the module starts (a bad value stops the service with a message naming
// the variable). The service's config.ts may compose Open311ConfigSchema into its own; reading it here keeps the
// Open311 module self-contained.
import { defineConfig } from '@linli/platform';
import { Type, type Static } from '@sinclair/typebox';

export const OPEN311_DEFAULTS = {
  /** GeoReport's jurisdiction_id: "the jurisdiction's main website root url (without the www)". */
  OPEN311_JURISDICTION_ID: 'js.linli.gov.cn',
  /** The administrative subtree this endpoint answers for: Jiangsu (32). */
  OPEN311_AREA_CODE: '32',
  OPEN311_CONTACT: '江苏省社区服务平台 Linli · 邻里 (Jiangsu community services): open311@linli.gov.cn',
  OPEN311_KEY_SERVICE:
    'API keys are issued by the platform administrators (POST /open311-clients, role admin).',
} as const;

/** An API key we accept must be hard to guess: 32 characters at least (a generated one is 43). */
export const API_KEY_MIN_LENGTH = 32;

export const Open311ConfigSchema = Type.Object({
  OPEN311_JURISDICTION_ID: Type.String({
    pattern: '^[a-z0-9.-]+$',
    default: OPEN311_DEFAULTS.OPEN311_JURISDICTION_ID,
  }),
  OPEN311_AREA_CODE: Type.String({
    pattern: '^\\d{2}(\\d{2}(\\d{2}(\\d{3}(\\d{3})?)?)?)?$',
    default: OPEN311_DEFAULTS.OPEN311_AREA_CODE,
  }),
  /** When set, a client "demo" with this key exists after start-up (the demo data and the README use it). */
  OPEN311_DEMO_API_KEY: Type.Optional(Type.String({ minLength: API_KEY_MIN_LENGTH })),
  /** The base URL clients reach this service at (behind a gateway); default: the host the request came to. */
  OPEN311_PUBLIC_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** Discovery's endpoint type: "production" (acted upon) or "test". */
  OPEN311_ENDPOINT_TYPE: Type.Unsafe<'production' | 'test'>({
    type: 'string',
    enum: ['production', 'test'],
    default: 'production',
  }),
  OPEN311_CONTACT: Type.String({ minLength: 1, default: OPEN311_DEFAULTS.OPEN311_CONTACT }),
  OPEN311_KEY_SERVICE: Type.String({ minLength: 1, default: OPEN311_DEFAULTS.OPEN311_KEY_SERVICE }),
});
export type Open311Config = Static<typeof Open311ConfigSchema>;

export const OPEN311_CONFIG = Symbol('linli.open311.config');

export function open311Config(env: NodeJS.ProcessEnv = process.env): Open311Config {
  return defineConfig(Open311ConfigSchema, env);
}
