// The correlation id of an HTTP request, decided once (caller's header or a new uuid) and remembered on the raw
// request, so the request logger (pino-http), the Fastify hooks and the error filter all agree on it.
import type { IncomingMessage } from 'node:http';
import { CORRELATION_ID_HEADER, acceptCorrelationId } from '../logging/correlation.context';

const ids = new WeakMap<IncomingMessage, string>();

export function requestCorrelationId(request: IncomingMessage): string {
  let id = ids.get(request);
  if (id === undefined) {
    id = acceptCorrelationId(request.headers[CORRELATION_ID_HEADER]);
    ids.set(request, id);
  }
  return id;
}
