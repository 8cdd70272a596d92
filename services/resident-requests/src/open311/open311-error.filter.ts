// Errors of the Open311 routes leave as the specification's error array, in the format the URL asked for (XML when
// it named none we serve), instead of the platform's problem+json: Open311 clients read nothing else.
import { ArgumentsHost, Catch, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { throwError, type Observable } from 'rxjs';
import { formatOfUrl, OPEN311_CONTENT_TYPES } from './format';
import { serialize } from './georeport.serializer';
import { toOpen311Error } from './open311.errors';

@Catch()
export class Open311ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Open311');

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { error, unexpected } = toOpen311Error(exception);
    if (unexpected) {
      this.logger.error({
        err: exception,
        msg: 'open311 request failed; answered as a general service error',
      });
    }
    if (reply.sent) return;
    const format = formatOfUrl(request.url);
    void reply
      .status(error.status)
      .header('content-type', OPEN311_CONTENT_TYPES[format])
      .send(serialize({ root: 'errors', items: error.errors.map((e) => ({ ...e })) }, format));
  }
}
