// The session id (`sid`) of the access token the guard verified for this request.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import jwt from 'jsonwebtoken';

/**
 * Read from the token the global AuthGuard has already verified for this same request, so it is decoded, not
 * verified again (a token of an outside issuer carries no sid: undefined).
 */
export const CurrentSessionId = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const header = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>().headers[
    'authorization'
  ];
  const token = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header)?.[1] : undefined;
  const payload = token ? jwt.decode(token) : null;
  const sid = payload && typeof payload === 'object' ? payload['sid'] : undefined;
  return typeof sid === 'string' ? sid : undefined;
});
