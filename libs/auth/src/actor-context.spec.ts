import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { defer, firstValueFrom, of } from 'rxjs';
import { Actor } from './actor';
import {
  ActorContextInterceptor,
  currentActor,
  runAsActor,
  runWithoutActor,
  scopingActor,
} from './actor-context';

const operator = new Actor('op-gulou', ['operator'], '320106');

function httpContext(request: object, type = 'http'): ExecutionContext {
  return {
    getType: () => type,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
}

/** A handler that reports the actor it ran as, after an await (the context must survive it). */
const reportingHandler: CallHandler = {
  handle: () =>
    defer(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentActor()?.userId ?? 'none';
    }),
};

describe('actor context', () => {
  it('holds the actor through awaits, and not outside', async () => {
    await runAsActor(operator, async () => {
      await Promise.resolve();
      expect(currentActor()).toBe(operator);
      expect(runWithoutActor(() => currentActor())).toBeUndefined();
    });
    expect(currentActor()).toBeUndefined();
  });

  it('scopes by users with a jurisdiction, not by the system or a whole-country actor', () => {
    expect(runAsActor(operator, scopingActor)).toBe(operator);
    expect(runAsActor(Actor.system(), scopingActor)).toBeUndefined();
    expect(runAsActor(new Actor('root', ['admin'], ''), scopingActor)).toBeUndefined();
    expect(scopingActor()).toBeUndefined();
  });

  it('runs the handler of a verified request as its actor; public routes and non-HTTP work as nobody', async () => {
    const interceptor = new ActorContextInterceptor();
    await expect(
      firstValueFrom(interceptor.intercept(httpContext({ actor: operator }), reportingHandler)),
    ).resolves.toBe('op-gulou');
    await expect(firstValueFrom(interceptor.intercept(httpContext({}), reportingHandler))).resolves.toBe(
      'none',
    );
    const rpc: CallHandler = { handle: () => of(currentActor()) };
    await expect(
      firstValueFrom(interceptor.intercept(httpContext({ actor: operator }, 'rpc'), rpc)),
    ).resolves.toBeUndefined();
  });

  it('closes when the answer is done: work the handler started and outlives it acts for nobody', async () => {
    const interceptor = new ActorContextInterceptor();
    let later: Promise<string> | undefined;
    const startsATimer: CallHandler = {
      handle: () =>
        defer(async () => {
          // A library arming a timer while the request is handled (Bull's delay timer does).
          later = new Promise((resolve) => setTimeout(() => resolve(currentActor()?.userId ?? 'none'), 20));
          return currentActor()?.userId ?? 'none';
        }),
    };
    await expect(
      firstValueFrom(interceptor.intercept(httpContext({ actor: operator }), startsATimer)),
    ).resolves.toBe('op-gulou');
    await expect(later).resolves.toBe('none');
  });
});
