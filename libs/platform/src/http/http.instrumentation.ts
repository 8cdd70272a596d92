// Fastify hooks every request goes through: the correlation id (response header and async context) and the
// request duration histogram.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AsyncResource } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CORRELATION_ID_HEADER, correlationContext } from '../logging/correlation.context';
import { httpRequestDuration } from '../metrics/metrics.registry';
import { requestCorrelationId } from './request-correlation';

/** Label for requests that matched no route: raw URLs as labels would give one time series per probe URL. */
export const UNMATCHED_ROUTE_LABEL = 'unmatched';
const MS_PER_SECOND = 1_000;

@Injectable()
export class HttpInstrumentation implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Runs before the server is ready, which is when Fastify attaches hooks to the routes Nest declared. */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    install(adapter.getInstance<FastifyInstance>());
  }
}

function install(fastify: FastifyInstance): void {
  const scopes = new WeakMap<FastifyRequest, AsyncResource>();
  const duration = httpRequestDuration();

  fastify.addHook('onRequest', (request, reply, done) => {
    const id = requestCorrelationId(request.raw);
    reply.header(CORRELATION_ID_HEADER, id);
    // The body is read from socket events, which run outside any context entered here. Capturing the context
    // in a resource and re-entering it in preValidation (after the body) is how the handler, pipes, filters
    // and everything they await see the id (the technique of @fastify/request-context).
    scopes.set(
      request,
      correlationContext.run(id, () => new AsyncResource('linli.http.request')),
    );
    done();
  });

  fastify.addHook('preValidation', (request, _reply, done) => {
    const scope = scopes.get(request);
    if (scope) scope.runInAsyncScope(done);
    else done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE_LABEL,
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / MS_PER_SECOND,
    );
    done();
  });
}
