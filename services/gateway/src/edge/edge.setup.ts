// The edge's Fastify plugins, registered before the gateway listens (bootstrapService's `configure`): CORS, tokens
// checked and revoked sessions refused, rate limits, the routes to the services under /api/<service>/, the console
// at /, and its browser libraries at /vendor/. Security headers (helmet, HSTS) and the JSON/form body limits come from bootstrapService already.
import fastifyCors from '@fastify/cors';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { AccessTokenVerifier } from '@linli/auth';
import {
  CORRELATION_ID_HEADER,
  namespaced,
  redisConnectionOptions,
  UnauthorizedError,
} from '@linli/platform';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { config } from '../config';
import { SessionsService } from '../sessions/sessions.service';
import { consolePlugin } from './console.plugin';
import { edgeCallerOf, type EdgeCaller } from './edge-auth';
import { TooManyRequestsError } from './edge.errors';
import { sendProblem } from './problem-reply';
import { proxyPlugin } from './proxy.plugin';
import { isUnlimited, limitOf, RATE_LIMIT_WINDOW_MS, rateLimitKey } from './rate-limits';
import { upstreamsOf } from './upstreams';
import { vendorPlugin } from './vendor.plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller as the edge established it (onRequest), for the rate limit's key. */
    edgeCaller?: EdgeCaller;
  }
}

/** Redis prefix of the rate-limit counters (inside the deployment's namespace). */
export const RATE_LIMIT_KEY_PREFIX = 'linli:gateway:rate-limit';
/** A counter slower than this is skipped (the request passes): a rate limit must not become an outage. */
const RATE_LIMIT_REDIS_TIMEOUT_MS = 500;
/** How long browsers may cache a preflight's answer. */
const CORS_MAX_AGE_SECONDS = 600;

const logger = new Logger('Edge');

export async function configureEdge(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();

  await app.register(fastifyCors, {
    // Empty CORS_ORIGINS: no cross-origin caller at all (the console is served from the gateway's own origin).
    origin: corsOrigins(config.CORS_ORIGINS),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: [
      'authorization',
      'content-type',
      CORRELATION_ID_HEADER,
      'traceparent',
      'tracestate',
      'idempotency-key',
    ],
    exposedHeaders: [
      CORRELATION_ID_HEADER,
      'location',
      'retry-after',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
    ],
    // Bearer tokens, never cookies: no credentialed cross-origin requests.
    credentials: false,
    maxAge: CORS_MAX_AGE_SECONDS,
  });

  const redis = new Redis({
    ...redisConnectionOptions(config),
    connectionName: 'linli-gateway-rate-limit',
    maxRetriesPerRequest: 1,
    // While Redis is away requests pass uncounted at once, rather than queueing behind a reconnect.
    enableOfflineQueue: false,
    commandTimeout: RATE_LIMIT_REDIS_TIMEOUT_MS,
  });
  redis.on('error', (error: Error) =>
    logger.warn({ msg: 'redis connection error (rate limits)', error: error.message }),
  );
  fastify.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  await app.register(fastifyRateLimit, {
    // Applied by the edge's own hook below (after the token is checked), not per route.
    global: false,
    redis,
    nameSpace: `${namespaced(RATE_LIMIT_KEY_PREFIX, ':')}:`,
    timeWindow: RATE_LIMIT_WINDOW_MS,
    keyGenerator: (request: FastifyRequest) =>
      rateLimitKey({
        method: request.method,
        url: request.url,
        address: normalizeIP(request.ip),
        userId: request.edgeCaller?.kind === 'user' ? request.edgeCaller.claims.sub : undefined,
      }),
    max: (_request: FastifyRequest, key: string) => limitOf(key, config),
    skipOnError: true,
  });
  const rateLimit = fastify.createRateLimit();

  const verifier = app.get(AccessTokenVerifier);
  const sessions = app.get(SessionsService);
  const checks = {
    verify: (token: string) => verifier.verify(token),
    isRevoked: (sid: string) => sessions.isRevoked(sid),
  };
  fastify.decorateRequest('edgeCaller', undefined);
  // Every request the gateway serves (its own routes, the services', the console), in this order: who is calling,
  // counted against their limit, then refused if their token is not good.
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.edgeCaller = await edgeCallerOf(request.headers.authorization, checks);
    if (!isUnlimited(request.url)) {
      const counted = await rateLimit(request);
      if (!counted.isAllowed) {
        reply.header('x-ratelimit-limit', counted.max);
        reply.header('x-ratelimit-remaining', counted.remaining);
        if (counted.isExceeded) {
          reply.header('retry-after', counted.ttlInSeconds);
          return sendProblem(request, reply, new TooManyRequestsError(counted.ttlInSeconds));
        }
      }
    }
    if (request.edgeCaller.kind === 'refused') {
      // RFC 6750 §3: a refused bearer token is answered with the scheme and why, for clients that renew on it.
      if (request.edgeCaller.error instanceof UnauthorizedError) {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
      }
      return sendProblem(request, reply, request.edgeCaller.error);
    }
    return undefined;
  });

  await app.register(proxyPlugin, {
    upstreams: upstreamsOf(config),
    bodyLimit: config.BODY_LIMIT_BYTES,
    upstreamTimeoutMs: config.UPSTREAM_TIMEOUT_MS,
  });
  await app.register(consolePlugin, { directory: config.CONSOLE_DIR });
  // The browser libraries the console loads (Chart.js), from node_modules.
  await app.register(vendorPlugin);
}

/** CORS_ORIGINS (`https://a.example,https://b.example`) as @fastify/cors takes it; false when empty. */
export function corsOrigins(value: string): string[] | false {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  return origins.length > 0 ? origins : false;
}
