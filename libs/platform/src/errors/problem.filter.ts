// The global exception filter: every error an HTTP request raises (domain errors, Nest's HttpExceptions,
// validation failures, Fastify's body errors) leaves as application/problem+json through toProblem().
import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger as PinoLogger } from 'pino';
import { throwError, type Observable } from 'rxjs';
import { requestCorrelationId } from '../http/request-correlation';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // With a hybrid app's inheritAppConfig this filter also sees Kafka handlers: there the error must travel on
    // to the consumer's retry and dead-letter logic, not become an HTTP answer.
    if (host.getType() !== 'http') return throwError(() => exception);

    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const correlationId = requestCorrelationId(request.raw);
    const { problem, unexpected, retryAfterSeconds } = toProblem(exception, pathOf(request.url));

    if (unexpected) this.logUnexpected(exception, request, correlationId, problem.status);
    if (reply.sent) return;
    if (retryAfterSeconds !== undefined) void reply.header('retry-after', String(retryAfterSeconds));
    void reply
      .status(problem.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send({ ...problem, correlationId });
  }

  private logUnexpected(
    exception: unknown,
    request: FastifyRequest,
    correlationId: string,
    status: number,
  ): void {
    const msg = `unexpected error answered with ${status}`;
    // pino-http's request logger already carries the correlation id as a binding; adding it again would
    // write the key twice. It is the last of `allLogs` (`log` is Fastify's, which @fastify/middie copies onto
    // the raw request first). Without it (a request pino-http did not see) the id goes in explicitly.
    const requestLogger = (request.raw as { allLogs?: PinoLogger[] }).allLogs?.at(-1);
    if (requestLogger) {
      requestLogger.error({ err: exception }, msg);
      return;
    }
    this.logger.error({ err: exception, correlationId, msg });
  }
}

/**
 * The problem's `instance`: the path without its query string, which can hold phone numbers or tokens and would
 * travel on into whatever logs the problem document (the gateway, a client's error tracker).
 */
function pathOf(url: string): string {
  const queryStart = url.indexOf('?');
  return queryStart === -1 ? url : url.slice(0, queryStart);
}
