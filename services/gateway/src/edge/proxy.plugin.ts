// The routes to the services: `/api/<service>/<rest>` is sent on to `<SERVICE_URL>/<rest>` with its method, query
// string, body and headers (hop-by-hop ones dropped, x-forwarded-for written, the correlation id passed on), and
// the service's answer streams back as it comes (server-sent events included). When the variable lists several
// instances, each request goes to the next in turn (upstream-pool.ts); a call that failed goes on to another instance
// when nothing reached the service, or when it only reads (GET, HEAD), each instance once. A service that cannot be
// reached answers 503, one that breaks the connection 502, one slower than UPSTREAM_TIMEOUT_MS 504; an unknown
// service 404.
import fastifyReplyFrom from '@fastify/reply-from';
import { NotFoundError, ValidationError } from '@linli/platform';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import {
  BadGatewayError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  unknownService,
} from './edge.errors';
import { sendProblem } from './problem-reply';
import { downstreamResponseHeaders, upstreamRequestHeaders, wantsEventStream } from './proxy.headers';
import { errorCodes, mayTryAnother, notReached, UpstreamPool } from './upstream-pool';
import { API_PREFIX, isInternalPath, upstreamPath, type RoutedService } from './upstreams';

export interface ProxyOptions {
  /** Each service's instances' base URLs (upstreamsOf). */
  upstreams: ReadonlyMap<RoutedService, readonly string[]>;
  /** BODY_LIMIT_BYTES: a larger body is refused here (413) before any of it reaches a service. */
  bodyLimit: number;
  /** UPSTREAM_TIMEOUT_MS: for the answer's headers, and between two chunks of its body. */
  upstreamTimeoutMs: number;
}

const TIMED_OUT = new Set([
  'FST_REPLY_FROM_GATEWAY_TIMEOUT',
  'FST_REPLY_FROM_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** An unknown service's name is echoed in the 404, cut to this length. */
const MAX_NAME_ECHOED = 64;

const logger = new Logger('EdgeProxy');

export async function proxyPlugin(scope: FastifyInstance, options: ProxyOptions): Promise<void> {
  await scope.register(fastifyReplyFrom, {
    // One undici agent keeps connections to every service alive; the routes give full URLs.
    undici: { connections: 128, pipelining: 1 },
    // Its connections to the services closed when the gateway closes, rather than left to time out.
    destroyAgent: true,
    disableRequestLogging: true,
  });

  // Live streams never end by themselves, and the server's close waits for every open answer: at shutdown they are
  // cut (before the close waits), and the browsers' EventSource reconnects, to another instance.
  const streams = new Set<ServerResponse>();
  scope.addHook('preClose', (done) => {
    for (const raw of streams) raw.destroy();
    done();
  });

  // Bodies pass through as the bytes they are (JSON, forms, CSV uploads): read whole, up to the limit, so an
  // oversized one is refused with 413 here whether it declared its length or came chunked. Only in this scope:
  // the gateway's own routes keep the platform's JSON and form parsers.
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: options.bodyLimit },
    (_request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: Buffer) => void) =>
      done(null, body),
  );
  scope.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));

  for (const [service, bases] of options.upstreams) {
    const pool = new UpstreamPool(bases);
    const handler = (request: FastifyRequest, reply: FastifyReply) =>
      forward(request, reply, service, pool, options, streams);
    scope.all(`${API_PREFIX}/${service}`, handler);
    scope.all(`${API_PREFIX}/${service}/*`, handler);
  }
  const unknown = (request: FastifyRequest, reply: FastifyReply) => {
    const name = (request.url.slice(API_PREFIX.length + 1).split(/[/?]/)[0] ?? '').slice(0, MAX_NAME_ECHOED);
    return sendProblem(request, reply, unknownService(name));
  };
  scope.all(API_PREFIX, unknown);
  scope.all(`${API_PREFIX}/*`, unknown);
}

function forward(
  request: FastifyRequest,
  reply: FastifyReply,
  service: RoutedService,
  pool: UpstreamPool,
  options: ProxyOptions,
  streams: Set<ServerResponse>,
): FastifyReply {
  if (isInternalPath(service, request.url)) {
    return sendProblem(request, reply, new NotFoundError('route', `${API_PREFIX}/${service}/metrics`));
  }
  const body = Buffer.isBuffer(request.body) ? request.body : undefined;
  const stream = wantsEventStream(request.headers.accept);
  if (stream) {
    streams.add(reply.raw);
    reply.raw.once('close', () => streams.delete(reply.raw));
  }
  const tried = new Set<string>();
  const attempt = (base: string): FastifyReply => {
    tried.add(base);
    return reply.from(upstreamPath(base, service, request.url), {
      ...(body ? { body, contentType: request.headers['content-type'] ?? 'application/octet-stream' } : {}),
      // A live stream stays open as long as both ends want it; everything else has UPSTREAM_TIMEOUT_MS.
      timeout: stream ? 0 : options.upstreamTimeoutMs,
      // Never retried here: a service's 503 (dispatch paused, not ready) is its answer to pass on, and a retried
      // command might be applied twice.
      retryDelay: () => null,
      rewriteRequestHeaders: (_request, headers) =>
        upstreamRequestHeaders(headers, {
          address: request.ip,
          protocol: request.protocol,
          host: request.headers.host,
          // Fastify's request id is the correlation id (bootstrapService's genReqId).
          correlationId: request.id,
        }) as typeof headers,
      rewriteHeaders: (headers) => downstreamResponseHeaders(headers) as typeof headers,
      onError: (failed, { error }) => {
        if (notReached(error)) pool.markDown(base);
        const next = !failed.sent && mayTryAnother(request.method, error) ? pool.pick(tried) : undefined;
        if (next !== undefined) {
          logger.warn({
            msg: 'service instance failed; trying another',
            service,
            instance: base,
            reason: errorCodes(error).join(' ') || error.message,
            correlationId: request.id,
          });
          attempt(next);
          return;
        }
        const mapped = upstreamProblem(service, error);
        logger.warn({
          msg: 'service not reached through the edge',
          service,
          status: mapped.status,
          instance: base,
          reason: errorCodes(error).join(' ') || error.message,
          correlationId: request.id,
        });
        if (!failed.sent) sendProblem(request, failed as FastifyReply, mapped);
      },
    });
  };
  try {
    return attempt(pool.pick(tried) as string);
  } catch {
    // reply-from refuses a path that climbs out of the service (`..` segments) or does not decode.
    return sendProblem(
      request,
      reply,
      ValidationError.field('path', 'must be a plain path without "..", with valid escapes', 400),
    );
  }
}

/** The edge's problem for a failed call to a service. */
export function upstreamProblem(
  service: string,
  error: Error,
): UpstreamUnavailableError | UpstreamTimeoutError | BadGatewayError {
  const codes = errorCodes(error);
  if (codes.some((code) => TIMED_OUT.has(code))) return new UpstreamTimeoutError(service);
  // Nobody listening (yet), no such host: the service is unavailable, not misbehaving.
  if (notReached(error) || codes.includes('FST_REPLY_FROM_SERVICE_UNAVAILABLE')) {
    return new UpstreamUnavailableError(service);
  }
  return new BadGatewayError(service);
}
