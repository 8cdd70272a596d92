import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Type, type Static } from '@sinclair/typebox';
import { AUTH_SETTINGS, AuthGuard } from './auth.guard';
import type { TokenSettings } from './tokens';

/** The development signing secret: fine on a laptop, refused nowhere yet (the gateway issue adds real keys). */
export const DEV_TOKEN_SETTINGS: TokenSettings = {
  secret: 'linli-dev-secret-change-me',
  issuer: 'linli-dev',
};

/** Variables a service composes into its configuration schema. */
export const AuthConfigSchema = Type.Object({
  AUTH_JWT_SECRET: Type.String({ minLength: 16, default: DEV_TOKEN_SETTINGS.secret }),
  AUTH_JWT_ISSUER: Type.String({ minLength: 1, default: DEV_TOKEN_SETTINGS.issuer }),
});
export type AuthConfig = Static<typeof AuthConfigSchema>;

@Global()
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig): DynamicModule {
    const settings: TokenSettings = { secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER };
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_SETTINGS],
    };
  }
}
