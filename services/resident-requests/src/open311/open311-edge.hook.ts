// Some answers under /open311/ never reach the Open311 controller or its filter: Fastify refuses a body before
// routing (415 media type, 413 too large, 400 malformed) and unmatched paths get the platform's 404. The platform
// writes those as problem+json; this hook rewrites them into the specification's error array, in the URL's format,
// so an Open311 client reads every error of the endpoint the same way.
import { PROBLEM_CONTENT_TYPE } from '@linli/platform';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { formatOfUrl, OPEN311_CONTENT_TYPES } from './format';
import { serialize } from './georeport.serializer';
import { Open311Error } from './open311.errors';

/** The Open311 endpoint's paths (discovery and v2); `/open311-clients` is a Linli admin route and keeps problem+json. */
export function isOpen311Path(url: string): boolean {
  return url === '/open311' || url.startsWith('/open311/') || url.startsWith('/open311?');
}

/** The specification's status for a problem the platform answered: 404 and 403 kept, every other one 400. */
export function open311ErrorOfProblem(status: number, detail: string | undefined): Open311Error {
  if (status === 404) return Open311Error.notFound('The URL names no Open311 resource');
  if (status === 401 || status === 403) return Open311Error.forbidden('Missing or invalid api_key');
  if (status >= 500)
    return Open311Error.badRequest('General service error: the request could not be processed');
  return Open311Error.badRequest(detail || 'The request is invalid');
}

@Injectable()
export class Open311EdgeHook implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** Before the server is ready, when Fastify still takes hooks. */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter?.getType() !== 'fastify') return;
    const fastify = adapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', async (request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      if (
        !isOpen311Path(request.url) ||
        !type.startsWith(PROBLEM_CONTENT_TYPE) ||
        typeof payload !== 'string'
      ) {
        return payload;
      }
      const problem = JSON.parse(payload) as { status?: number; detail?: string };
      const error = open311ErrorOfProblem(problem.status ?? reply.statusCode, problem.detail);
      const format = formatOfUrl(request.url);
      void reply.code(error.status).header('content-type', OPEN311_CONTENT_TYPES[format]);
      return serialize({ root: 'errors', items: error.errors.map((e) => ({ ...e })) }, format);
    });
  }
}
