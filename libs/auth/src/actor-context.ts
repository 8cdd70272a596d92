// The caller of the work in progress, held in an AsyncLocalStorage for the length of an HTTP request, so the data
// layer (@linli/persistence's jurisdiction scope) can restrict every query to the caller's jurisdiction without a
// repository having to remember to pass it (ADR 0028). Outside a request (consumers, scheduled work, start-up)
// there is no actor and nothing is restricted: that work acts for the platform.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { Actor } from './actor';

/**
 * The actor and whether the work it was entered for is still going. AsyncLocalStorage hands its store on to
 * everything started inside it: a timer a library arms while handling the request (Bull's delay timer, a retry),
 * a promise chain that outlives the answer. Those act for the platform, not for the caller, so the request's
 * context closes when its answer is done and such work then sees no actor.
 */
interface ActorScope {
  readonly actor: Actor;
  open: boolean;
}

const actors = new AsyncLocalStorage<ActorScope>();

/** Runs `work` (and everything it starts) as `actor`. */
export function runAsActor<T>(actor: Actor, work: () => T): T {
  return actors.run({ actor, open: true }, work);
}

/**
 * Runs `work` with no actor, for work a request starts that must outlive it or act for the platform (a relay
 * nudged from a request, say). Not a way round the scope for a user's read: use the query's `crossJurisdiction`
 * option, which names its reason where it is used.
 */
export function runWithoutActor<T>(work: () => T): T {
  return actors.exit(work);
}

/** The verified caller of the request this code runs for, if any. */
export function currentActor(): Actor | undefined {
  const scope = actors.getStore();
  return scope?.open ? scope.actor : undefined;
}

/**
 * The actor whose jurisdiction restricts what this code may read or write, or undefined for none: no request, or
 * the system actor, or an actor with the whole country (an empty jurisdiction).
 */
export function scopingActor(): Actor | undefined {
  const actor = currentActor();
  if (!actor || actor.jurisdiction === '' || actor.has('system')) return undefined;
  return actor;
}

interface RequestWithActor {
  actor?: Actor;
}

/**
 * Enters the actor context for the handler of every HTTP request the AuthGuard verified (it puts the Actor on the
 * request before interceptors run). An interceptor rather than the guard itself: a guard can only `enterWith`, which
 * does not reach the handler once the guard awaits anything (the OIDC key fetch), while `next.handle()` called inside
 * `run` binds the handler's whole chain (pipes, handler, the response's observable) to the context.
 */
@Injectable()
export class ActorContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const actor = context.switchToHttp().getRequest<RequestWithActor>().actor;
    // A public route (Open311 with its API key, the SMS acknowledgement link) has no user to scope by.
    if (!actor) return next.handle();
    return new Observable((subscriber) => {
      const scope: ActorScope = { actor, open: true };
      const subscription = actors.run(scope, () => next.handle().subscribe(subscriber));
      // Runs when the answer completes, fails or is abandoned: what the request started and is still running
      // from here on acts for nobody.
      return () => {
        scope.open = false;
        subscription.unsubscribe();
      };
    });
  }
}
