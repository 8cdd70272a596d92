// The global guard: every HTTP route needs a verified bearer token unless marked @PublicRoute(), and the roles
// @Roles() names. The verified Actor is put on the request for @CurrentActor().
import {
  applyDecorators,
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { ForbiddenError, PUBLIC_ROUTE, UnauthorizedError } from '@linli/platform';
import { AccessTokenVerifier } from './access-token-verifier';
import { Actor, type Role } from './actor';

export const AUTH_SETTINGS = Symbol('linli.auth.settings');
const ROLES_KEY = 'linli:roles';

/** The OpenAPI extension listing a route's roles, so a reviewer (and the route-by-role test) reads them per route. */
export const ROLES_EXTENSION = 'x-linli-roles';

/**
 * The roles allowed on a route or controller (any one of them suffices), also written into the OpenAPI document
 * as `x-linli-roles`. A route's own @Roles overrides its controller's, in the guard as in the document.
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension(ROLES_EXTENSION, roles));

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
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<RequestWithActor>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9._-]+)$/.exec(header) : null;
    if (!match) throw new UnauthorizedError('An access token is required (Authorization: Bearer …)');
    const actor = Actor.fromClaims(await this.verifier.verify(match[1] as string));
    request.actor = actor;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !actor.has(...roles)) {
      throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
