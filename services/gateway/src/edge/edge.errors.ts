// The problems the edge itself answers with (the services answer their own): a service that cannot be reached or
// is too slow, a caller over its rate, a route to no service. Mapped to problem+json like every domain error.
import { DomainError, NotFoundError } from '@linli/platform';

/** A service the edge routes to did not give an answer; the problem names the service. */
abstract class UpstreamError extends DomainError {
  constructor(
    readonly service: string,
    message: string,
  ) {
    super(message);
  }

  override extensions(): Record<string, unknown> {
    return { service: this.service };
  }
}

/** The service is not running or refuses connections (it may be starting, or scaled to zero): try again later. */
export class UpstreamUnavailableError extends UpstreamError {
  readonly status = 503;
  readonly slug = 'upstream-unavailable';
  readonly title = 'Service unavailable';

  constructor(service: string) {
    super(service, `The ${service} service cannot be reached just now; try again shortly`);
  }
}

/** The service broke the connection or answered something that is not HTTP. */
export class BadGatewayError extends UpstreamError {
  readonly status = 502;
  readonly slug = 'bad-gateway';
  readonly title = 'Bad gateway';

  constructor(service: string) {
    super(service, `The ${service} service gave no usable answer`);
  }
}

/** The service took longer than UPSTREAM_TIMEOUT_MS. The request may still take effect there. */
export class UpstreamTimeoutError extends UpstreamError {
  readonly status = 504;
  readonly slug = 'upstream-timeout';
  readonly title = 'Gateway timeout';

  constructor(service: string) {
    super(
      service,
      `The ${service} service did not answer in time; a change you sent may still be applied, so read it back before retrying`,
    );
  }
}

/** Over a rate limit; the Retry-After header says when to try again. */
export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly slug = 'rate-limited';
  readonly title = 'Too many requests';

  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} s`);
  }

  override extensions(): Record<string, unknown> {
    return { retryAfterSeconds: this.retryAfterSeconds };
  }
}

/** `/api/<name>/…` where no service has that name. */
export function unknownService(name: string): NotFoundError {
  return new NotFoundError('service', name);
}
