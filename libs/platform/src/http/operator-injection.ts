// Defense in depth against NoSQL injection (OWASP API8): a JSON body, form body or query string whose keys carry
// a MongoDB operator (`$gt`, `$where`, `a.$ne`, `phone[$ne]`) is refused with 400 before any handler runs, in
// every service. Strict DTOs (whitelist + forbidNonWhitelisted) already refuse unknown keys, but a route that
// reads a raw body, a `@Query('name')` of one parameter, or a future DTO with an `object` field would otherwise
// hand such a key on towards a query; this refuses it whatever the route does.
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../errors/domain.errors';

export const OPERATOR_KEY_MESSAGE = 'keys starting with $ (MongoDB operators) are not accepted';

/**
 * A key is an operator when it, or one of its parts, starts with `$`. The parts are what a query-string parser in
 * the `qs` style (`phone[$ne]`, `a[b][$gt]`) or a MongoDB dotted path (`reporter.$where`) would split it into.
 * Brackets and dots alone stay allowed: Open311 posts `attribute[WHISPAWN]=…` as form fields.
 */
export function isOperatorKey(key: string): boolean {
  return key.split(/[[\].]/).some((part) => part.startsWith('$'));
}

/**
 * The path of the first operator key in `value` (`reporter.phone.$gt`, `items.2.$where`), or undefined.
 * Walks with its own stack: a 1 MB body nested thousands deep would overflow a recursive walk.
 */
export function findOperatorKey(value: unknown, prefix = ''): string | undefined {
  const pending: [unknown, string][] = [[value, prefix]];
  while (pending.length > 0) {
    const [current, path] = pending.pop() as [unknown, string];
    // Raw bodies (the gateway forwards bytes to the services, which check them parsed) are data, not keys.
    if (typeof current !== 'object' || current === null || ArrayBuffer.isView(current)) continue;
    const entries = Array.isArray(current)
      ? current.map((item, index) => [String(index), item] as const)
      : Object.entries(current as Record<string, unknown>);
    for (const [key, child] of entries) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (!Array.isArray(current) && isOperatorKey(key)) return childPath;
      pending.push([child, childPath]);
    }
  }
  return undefined;
}

/**
 * Adds the check to every route (before validation, once the body is parsed). Called by bootstrapService before
 * the routes are declared; the error leaves as problem+json through the platform's filter, naming the field.
 */
export function installOperatorInjectionGuard(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const field = findOperatorKey(request.query) ?? findOperatorKey(request.body);
    if (field === undefined) {
      done();
      return;
    }
    done(ValidationError.field(field, OPERATOR_KEY_MESSAGE, 400));
  });
}
