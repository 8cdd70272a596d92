// What the edge changes in the headers it passes on, both ways. Pure, so the rules are unit-tested.
import { CORRELATION_ID_HEADER } from '@linli/platform';
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, never the next one: a proxy drops them, and any
 * header the Connection header names. `proxy-authorization` is meant for this hop only as well.
 */
const HOP_BY_HOP = [
  'connection',
  'proxy-connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
];

/**
 * Address headers a caller could forge. The edge is the first hop it trusts, so it writes x-forwarded-for itself
 * (the address it saw) and drops the rest: a service (and the audit log's "from where") reads the first hop of
 * x-forwarded-for and can rely on it.
 */
const CALLER_ADDRESS_HEADERS = ['forwarded', 'x-real-ip', 'x-forwarded-host', 'x-forwarded-proto'];

export interface ForwardedRequest {
  /** The caller's address as the gateway's socket saw it. */
  address: string;
  /** http or https, as the gateway was reached. */
  protocol: string;
  /** The Host the caller asked for. */
  host: string | undefined;
  /** The gateway's correlation id of this request (the caller's, when usable, else a new one). */
  correlationId: string;
}

/** The headers sent to the service: the caller's, minus the hop-by-hop ones, plus who the caller is. */
export function upstreamRequestHeaders(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders,
  forwarded: ForwardedRequest,
): Record<string, string | string[] | number | undefined> {
  const out: Record<string, string | string[] | number | undefined> = { ...headers };
  for (const name of [...namedByConnection(headers), ...HOP_BY_HOP, ...CALLER_ADDRESS_HEADERS]) {
    delete out[name];
  }
  out['x-forwarded-for'] = forwarded.address;
  out['x-forwarded-proto'] = forwarded.protocol;
  if (forwarded.host) out['x-forwarded-host'] = forwarded.host;
  // The same id in the gateway's log line and the service's: one request followed across both.
  out[CORRELATION_ID_HEADER] = forwarded.correlationId;
  return out;
}

/** The service's answer headers as the caller gets them: minus the hop-by-hop ones. */
export function downstreamResponseHeaders(
  headers: IncomingHttpHeaders | OutgoingHttpHeaders,
): Record<string, string | string[] | number | undefined> {
  const out: Record<string, string | string[] | number | undefined> = { ...headers };
  for (const name of [...namedByConnection(headers), ...HOP_BY_HOP]) delete out[name];
  return out;
}

/** Header names the Connection header lists (they are hop-by-hop too). */
function namedByConnection(headers: IncomingHttpHeaders | OutgoingHttpHeaders): string[] {
  const connection = headers['connection'];
  const value = Array.isArray(connection) ? connection.join(',') : connection;
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name.length > 0);
}

/** A live stream (server-sent events) is asked for with Accept: text/event-stream; it has no answer time limit. */
export function wantsEventStream(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  return value.toLowerCase().includes('text/event-stream');
}
