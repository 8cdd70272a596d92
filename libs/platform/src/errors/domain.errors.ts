// Typed errors that domain code throws (never Nest's HttpExceptions); the problem+json filter maps them to
// responses in one place, so a use case reads the same whether it is called from HTTP, Kafka or a job.

/** A field at fault, as listed in a problem's `errors`. `field` is a dotted path (`address.street`). */
export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  /** The HTTP status the edge answers with. */
  abstract readonly status: number;
  /** Short kebab-case name of the problem type; becomes `urn:linli:problem:<slug>`. */
  abstract readonly slug: string;
  /** Human summary of the problem type (the same for every occurrence of that type). */
  abstract readonly title: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  /** Extra members of the problem document (RFC 9457 extensions). Never put internals or personal data here. */
  extensions(): Record<string, unknown> {
    return {};
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly slug: string = 'not-found';
  readonly title: string = 'Resource not found';

  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found`);
  }

  override extensions(): Record<string, unknown> {
    return { resource: this.resource, id: this.id };
  }
}

/**
 * The command does not fit the current state (a job already accepted, a stale version). Carries that state so
 * the client can show it or retry against it without another read.
 */
export class ConflictError extends DomainError {
  readonly status = 409;
  readonly slug: string = 'conflict';
  readonly title: string = 'Conflict with the current state';

  constructor(
    message: string,
    /** What the client needs to decide what to do next, e.g. `{ status: 'accepted', version: 4 }`. */
    readonly current?: Record<string, unknown>,
  ) {
    super(message);
  }

  override extensions(): Record<string, unknown> {
    return this.current === undefined ? {} : { current: this.current };
  }
}

/** Input that is well-formed but breaks a rule: 422 by default; 400 when the shape itself is wrong. */
export class ValidationError extends DomainError {
  readonly slug: string = 'validation';
  readonly title: string = 'Invalid input';

  constructor(
    readonly errors: readonly FieldError[],
    readonly status: 400 | 422 = 422,
    message = errors.map((error) => `${error.field}: ${error.message}`).join('; '),
  ) {
    super(message);
  }

  /** One field at fault: `throw ValidationError.field('dueAt', 'must be in the future')`. */
  static field(field: string, message: string, status: 400 | 422 = 422): ValidationError {
    return new ValidationError([{ field, message }], status);
  }

  override extensions(): Record<string, unknown> {
    return { errors: this.errors };
  }
}

/** Authenticated, but this role or jurisdiction may not do this. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly slug: string = 'forbidden';
  readonly title: string = 'Forbidden';
}

/** No valid credentials. The edge adds no detail on why a token failed beyond the message given here. */
export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly slug: string = 'unauthorized';
  readonly title: string = 'Unauthorized';
}
