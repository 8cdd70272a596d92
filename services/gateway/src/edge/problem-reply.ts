// Problem answers written by the edge's own Fastify hooks and routes, which Nest's exception filter does not see:
// the same RFC 9457 document (and correlation id) as every other error the platform answers.
import { CORRELATION_ID_HEADER, PROBLEM_CONTENT_TYPE, toProblem } from '@linli/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const { problem } = toProblem(error, pathOf(request.url));
  // Fastify's request id is the correlation id (bootstrapService's genReqId). The header is also set by the
  // platform's own onRequest hook, which an early answer from the edge's hook comes before.
  return reply
    .header(CORRELATION_ID_HEADER, request.id)
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem, correlationId: request.id });
}

/** The path without its query string, which may carry tokens or phone numbers (as the platform's filter does). */
function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
