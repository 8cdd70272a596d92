// The global guard: every HTTP route needs a verified bearer token unless marked @PublicRoute(), and the roles
// @Roles() names. The verified Actor is put on the request for @CurrentActor().
import {
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, PUBLIC_ROUTE, UnauthorizedError } from '@linli/platform';
import { Actor, type Role } from './actor';
import { verifyToken, type TokenSettings } from './tokens';

export const AUTH_SETTINGS = Symbol('linli.auth.settings');
const ROLES_KEY = 'linli:roles';

/** The roles allowed on a route or controller (any one of them suffices). */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES_KEY, roles);

interface RequestWithActor {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
}

/** The verified caller of the current HTTP request. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
  if (!actor) throw new UnauthorizedError('This route needs a verified caller');
  return actor;
});

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_SETTINGS) private readonly settings: TokenSettings,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
    if (!match) throw new UnauthorizedError('An access token is required (Authorization: Bearer …)');
    const actor = Actor.fromClaims(verifyToken(match[1] as string, this.settings));
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !actor.has(...roles)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
