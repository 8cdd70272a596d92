// The global interceptor of libs/audit: holds the request's audit context (from where, which operation, the
// correlation id) for the handler, then records every successful change (POST/PUT/PATCH/DELETE answered 2xx) as
// resource.changed and every answer of an `@AuditPersonalRead` handler as personal-data.read, before the answer
// leaves: when the caller has it, the record is stored. A personal read refused in the handler (403, or 404 for a
// record outside the caller's scope) is recorded with outcome denied; a refusal by the guard (no token, wrong
// role) is not, since no record was looked at.
import {
  Inject,
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@linli/auth';
import { ANONYMOUS_ACTOR_ID } from '@linli/contracts';
import { currentCorrelationId } from '@linli/platform';
import type { IncomingMessage } from 'node:http';
import { Observable, catchError, concatMap, from, throwError } from 'rxjs';
import { AUDIT_PERSONAL_READ, type PersonalReadAudit } from './audit-personal-read.decorator';
import { auditContext, type AuditRequestContext } from './audit.context';
import { AUDIT_OPTIONS, type ResolvedAuditOptions } from './audit.options';
import { resourceOf } from './audit.resource';
import { AuditTrail, type AuditRecordInput } from './audit-trail';
import { clientAddress } from './client-address';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DENIED_STATUSES = new Set([403, 404]);
const HTTP_ERROR_FROM = 400;

interface AuditedRequest {
  method: string;
  url: string;
  id?: string;
  routeOptions?: { url?: string };
  params?: Record<string, string | undefined>;
  headers: Record<string, string | string[] | undefined>;
  raw: IncomingMessage;
  actor?: Actor;
}

const ANONYMOUS = { userId: ANONYMOUS_ACTOR_ID, role: '', jurisdiction: '' };

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly trail: AuditTrail,
    @Inject(AUDIT_OPTIONS) private readonly options: ResolvedAuditOptions,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<AuditedRequest>();
    const reply = http.getResponse<{ statusCode: number }>();
    const route = request.routeOptions?.url ?? request.url.split('?')[0] ?? '/';
    const operation = `${request.method} ${route}`;
    const requestContext: AuditRequestContext = {
      clientIp: clientAddress(
        request.raw.socket?.remoteAddress,
        request.headers['x-forwarded-for'],
        this.options.trustedProxies,
      ),
      // Fastify's request id is the correlation id (bootstrapService's genReqId).
      correlationId: currentCorrelationId() ?? request.id,
      operation,
    };
    const personalRead = this.reflector.get<PersonalReadAudit | undefined>(
      AUDIT_PERSONAL_READ,
      context.getHandler(),
    );
    const change = CHANGES.has(request.method) && !this.options.recordedByHand.has(operation);
    const params = request.params ?? {};

    const handled = next.handle().pipe(
      concatMap((answer) => {
        // A handler that answered through the reply itself may have set an error status.
        if (reply.statusCode >= HTTP_ERROR_FROM || (!change && !personalRead)) return [answer];
        const resource = resourceOf(route, params, answer, personalRead ?? {});
        const input: AuditRecordInput = {
          actor: request.actor ?? ANONYMOUS,
          action: personalRead ? 'personal-data.read' : 'resource.changed',
          ...(resource ? { resource } : {}),
          ...(personalRead ? { fields: [...personalRead.fields] } : {}),
        };
        return from(this.trail.record(input).then(() => answer));
      }),
      catchError((error: unknown) => {
        const status = (error as { status?: unknown; getStatus?: () => number }).status;
        if (!personalRead || typeof status !== 'number' || !DENIED_STATUSES.has(status)) {
          return throwError(() => error);
        }
        const resource = resourceOf(route, params, undefined, personalRead);
        const denied = this.trail
          .record({
            actor: request.actor ?? ANONYMOUS,
            action: 'personal-data.read',
            outcome: 'denied',
            fields: [...personalRead.fields],
            ...(resource ? { resource } : {}),
          })
          .catch((recordError: Error) =>
            // The refusal stands either way; a lost record of it is worth a log line, not a 500.
            this.logger.error({ msg: 'denied personal read not recorded', error: recordError.message }),
          );
        return from(denied).pipe(concatMap(() => throwError(() => error)));
      }),
    );
    return new Observable((subscriber) =>
      auditContext.run(requestContext, () => handled.subscribe(subscriber)),
    );
  }
}
