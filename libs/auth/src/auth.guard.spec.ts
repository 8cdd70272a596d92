import 'reflect-metadata';
import { Controller, Get, Post, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import { ForbiddenError, PublicRoute, UnauthorizedError } from '@linli/platform';
import { AccessTokenVerifier } from './access-token-verifier';
import type { Actor } from './actor';
import { AuthGuard, Roles, ROLES_EXTENSION } from './auth.guard';
import { DEV_TOKEN_SETTINGS } from './auth.module';
import { signToken } from './tokens';

@Roles('supervisor', 'admin')
@Controller('cases')
class CasesController {
  @Post(':caseId/assign')
  assign(): void {}
  @Post(':caseId/recuse')
  @Roles('mediator')
  recuse(): void {}
  @Get('categories')
  @PublicRoute()
  catalogue(): void {}
}

const handlers = CasesController.prototype;
const token = (role: 'operator' | 'supervisor' | 'mediator') =>
  signToken({ sub: `${role}-1`, roles: [role], jurisdiction: '320106' }, DEV_TOKEN_SETTINGS);

interface FakeRequest {
  headers: Record<string, string>;
  actor?: Actor;
}

function contextFor(handler: () => void, request: FakeRequest): ExecutionContext {
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => CasesController,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard', () => {
  const guard = new AuthGuard(new Reflector(), new AccessTokenVerifier({ dev: DEV_TOKEN_SETTINGS }));
  const call = (handler: () => void, authorization?: string) => {
    const request: FakeRequest = { headers: authorization ? { authorization } : {} };
    return guard.canActivate(contextFor(handler, request)).then((allowed) => ({ allowed, request }));
  };

  it('lets a role of the controller through and puts the verified actor on the request', async () => {
    const { allowed, request } = await call(handlers.assign, `Bearer ${token('supervisor')}`);
    expect(allowed).toBe(true);
    expect(request.actor).toMatchObject({ userId: 'supervisor-1', jurisdiction: '320106' });
  });

  it("applies a route's own roles instead of its controller's", async () => {
    await expect(call(handlers.recuse, `Bearer ${token('mediator')}`)).resolves.toMatchObject({
      allowed: true,
    });
    await expect(call(handlers.recuse, `Bearer ${token('supervisor')}`)).rejects.toThrow(ForbiddenError);
  });

  it('refuses a role outside the list with 403, and a missing or invalid token with 401', async () => {
    await expect(call(handlers.assign, `Bearer ${token('operator')}`)).rejects.toThrow(ForbiddenError);
    await expect(call(handlers.assign)).rejects.toThrow(UnauthorizedError);
    await expect(call(handlers.assign, 'Bearer not.a.token')).rejects.toThrow(UnauthorizedError);
  });

  it('lets anyone through a public route, whatever roles its controller names', async () => {
    await expect(call(handlers.catalogue)).resolves.toMatchObject({ allowed: true });
  });
});

describe('roles in the OpenAPI document', () => {
  const extensions = (handler: () => void) =>
    Reflect.getMetadata(DECORATORS.API_EXTENSION, handler) as Record<string, unknown>;

  it('writes x-linli-roles per route, a route overriding its controller, and x-linli-public', () => {
    expect(extensions(handlers.assign)).toEqual({ [ROLES_EXTENSION]: ['supervisor', 'admin'] });
    expect(extensions(handlers.recuse)).toEqual({ [ROLES_EXTENSION]: ['mediator'] });
    expect(extensions(handlers.catalogue)).toMatchObject({ 'x-linli-public': true });
  });
});
