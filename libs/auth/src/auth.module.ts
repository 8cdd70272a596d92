import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Type, type Static } from '@sinclair/typebox';
import { ConfigValidationError } from '@linli/platform';
import { AccessTokenVerifier, type AccessTokenVerifierSettings } from './access-token-verifier';
import { ActorContextInterceptor } from './actor-context';
import { AUTH_SETTINGS, AuthGuard } from './auth.guard';
import type { TokenSettings } from './tokens';

/** The development signing secret: fine on a laptop, refused in production (NODE_ENV=production) by verifierSettingsFrom. */
export const DEV_TOKEN_SETTINGS: TokenSettings = {
  secret: 'linli-dev-secret-change-me',
  issuer: 'linli-dev',
};

/** Where an external issuer's tokens carry the Linli claims, unless configured otherwise. */
export const OIDC_CLAIM_DEFAULTS = {
  AUTH_OIDC_ROLES_CLAIM: 'roles',
  AUTH_OIDC_JURISDICTION_CLAIM: 'jurisdiction',
  AUTH_OIDC_PROVIDER_CLAIM: 'providerId',
} as const;

const optionalText = (options: { pattern?: string } = {}) =>
  Type.Optional(Type.String({ minLength: 1, ...options }));

/** Variables a service composes into its configuration schema. */
export const AuthConfigSchema = Type.Object({
  AUTH_JWT_SECRET: Type.String({ minLength: 16, default: DEV_TOKEN_SETTINGS.secret }),
  AUTH_JWT_ISSUER: Type.String({ minLength: 1, default: DEV_TOKEN_SETTINGS.issuer }),
  /**
   * Whether tokens of the built-in issuer (the gateway's sign-in, HS256 with AUTH_JWT_SECRET) are accepted.
   * Production with a province's identity system sets false, so only the OIDC issuer is trusted.
   */
  AUTH_DEV_ISSUER_ENABLED: Type.Boolean({ default: true }),
  /**
   * With NODE_ENV=production (the services' image) the built-in issuer refuses to start with the public default
   * AUTH_JWT_SECRET, with which anyone could sign a token; this lets a local `docker compose up` use it anyway.
   */
  AUTH_ALLOW_DEV_SECRET: Type.Boolean({ default: false }),
  /** An external OIDC issuer (its `iss`); its tokens are verified with the keys at AUTH_OIDC_JWKS_URI. */
  AUTH_OIDC_ISSUER: optionalText(),
  AUTH_OIDC_JWKS_URI: optionalText({ pattern: '^https?://' }),
  /** When set, the external tokens' `aud` must contain it (set it: a token minted for another client is refused). */
  AUTH_OIDC_AUDIENCE: optionalText(),
  AUTH_OIDC_ROLES_CLAIM: Type.String({ minLength: 1, default: OIDC_CLAIM_DEFAULTS.AUTH_OIDC_ROLES_CLAIM }),
  AUTH_OIDC_JURISDICTION_CLAIM: Type.String({
    minLength: 1,
    default: OIDC_CLAIM_DEFAULTS.AUTH_OIDC_JURISDICTION_CLAIM,
  }),
  AUTH_OIDC_PROVIDER_CLAIM: Type.String({
    minLength: 1,
    default: OIDC_CLAIM_DEFAULTS.AUTH_OIDC_PROVIDER_CLAIM,
  }),
});
export type AuthConfig = Static<typeof AuthConfigSchema>;

/**
 * The verifier's settings from the configuration. Throws ConfigValidationError for combinations the schema cannot
 * express (an issuer without its key set, or no trusted issuer at all), so a bad deployment fails at start-up.
 */
export function verifierSettingsFrom(
  config: AuthConfig,
  env: NodeJS.ProcessEnv = process.env,
): AccessTokenVerifierSettings {
  const problems: string[] = [];
  if (
    env.NODE_ENV === 'production' &&
    config.AUTH_DEV_ISSUER_ENABLED &&
    config.AUTH_JWT_SECRET === DEV_TOKEN_SETTINGS.secret &&
    !config.AUTH_ALLOW_DEV_SECRET
  ) {
    problems.push(
      'AUTH_JWT_SECRET: the public development secret in production (anyone could sign tokens); set a secret of ' +
        'your own, or AUTH_DEV_ISSUER_ENABLED=false with an OIDC issuer',
    );
  }
  if (Boolean(config.AUTH_OIDC_ISSUER) !== Boolean(config.AUTH_OIDC_JWKS_URI)) {
    problems.push('AUTH_OIDC_ISSUER and AUTH_OIDC_JWKS_URI: set both or neither');
  }
  if (!config.AUTH_DEV_ISSUER_ENABLED && !config.AUTH_OIDC_ISSUER) {
    problems.push(
      'AUTH_DEV_ISSUER_ENABLED: false needs an OIDC issuer (AUTH_OIDC_ISSUER), or no token is trusted',
    );
  }
  if (config.AUTH_OIDC_ISSUER && config.AUTH_OIDC_ISSUER === config.AUTH_JWT_ISSUER) {
    problems.push(
      'AUTH_OIDC_ISSUER: must differ from AUTH_JWT_ISSUER (the issuer decides which keys verify)',
    );
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return {
    ...(config.AUTH_DEV_ISSUER_ENABLED
      ? { dev: { secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER } }
      : {}),
    ...(config.AUTH_OIDC_ISSUER && config.AUTH_OIDC_JWKS_URI
      ? {
          oidc: {
            issuer: config.AUTH_OIDC_ISSUER,
            jwksUri: config.AUTH_OIDC_JWKS_URI,
            ...(config.AUTH_OIDC_AUDIENCE ? { audience: config.AUTH_OIDC_AUDIENCE } : {}),
            claims: {
              roles: config.AUTH_OIDC_ROLES_CLAIM,
              jurisdiction: config.AUTH_OIDC_JURISDICTION_CLAIM,
              providerId: config.AUTH_OIDC_PROVIDER_CLAIM,
            },
          },
        }
      : {}),
  };
}

@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    // The built-in issuer's settings stay available to the gateway, which signs with them.
    const settings: TokenSettings = { secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER };
    const verifier = new AccessTokenVerifier(verifierSettingsFrom(config));
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        { provide: AccessTokenVerifier, useValue: verifier },
        { provide: APP_GUARD, useClass: AuthGuard },
        // The verified caller held for the handler, so the data layer scopes every query by it (ADR 0028).
        { provide: APP_INTERCEPTOR, useClass: ActorContextInterceptor },
      ],
      exports: [AUTH_SETTINGS, AccessTokenVerifier],
    };
  }
}
