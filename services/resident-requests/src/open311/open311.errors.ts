// The specification's error array ("Errors"): HTTP 404 for what does not exist, 403 for a missing or wrong
// api_key, 400 for any other request that cannot be fulfilled; the body lists one {code, description} per fault.
import { DomainError, ValidationError } from '@linli/platform';
import { HttpException } from '@nestjs/common';

export type Open311ErrorStatus = 400 | 403 | 404;

export interface Open311ErrorItem {
  /** "In most cases, this should match the HTTP status code": it does here, always. */
  code: number;
  /** Meant to be seen by the user: names the parameter at fault, never echoes its value. */
  description: string;
}

export class Open311Error extends Error {
  readonly errors: readonly Open311ErrorItem[];

  constructor(
    readonly status: Open311ErrorStatus,
    descriptions: readonly string[],
  ) {
    super(descriptions.join('; '));
    this.name = 'Open311Error';
    this.errors = descriptions.map((description) => ({ code: status, description }));
  }

  static badRequest(...descriptions: string[]): Open311Error {
    return new Open311Error(400, descriptions);
  }

  static forbidden(description: string): Open311Error {
    return new Open311Error(403, [description]);
  }

  static notFound(description: string): Open311Error {
    return new Open311Error(404, [description]);
  }
}

/** Collects every fault of a request before answering, so a client learns all of them in one round trip. */
export class Open311Faults {
  private readonly descriptions: string[] = [];

  add(description: string): void {
    this.descriptions.push(description);
  }

  get empty(): boolean {
    return this.descriptions.length === 0;
  }

  /** Throws a 400 listing every fault, when there is any. */
  throwIfAny(): void {
    if (!this.empty) throw Open311Error.badRequest(...this.descriptions);
  }
}

export interface MappedOpen311Error {
  error: Open311Error;
  /** Not an error we meant to raise: logged with its stack. */
  unexpected: boolean;
}

/**
 * Anything thrown while serving Open311, as the specification's error: 404 for what does not exist, 403 for a
 * caller without the right key, and "basically 400 for any other error where the request can not be fulfilled as
 * expected", including the specification's "General service error" for failures of our own.
 */
export function toOpen311Error(exception: unknown): MappedOpen311Error {
  if (exception instanceof Open311Error) return { error: exception, unexpected: false };
  if (exception instanceof DomainError) {
    if (exception.status === 404) return expected(Open311Error.notFound(exception.message));
    if (exception.status === 401 || exception.status === 403) {
      return expected(Open311Error.forbidden(exception.message));
    }
    if (exception instanceof ValidationError) {
      return expected(Open311Error.badRequest(...exception.errors.map((e) => `${e.field}: ${e.message}`)));
    }
    if (exception.status < 500) return expected(Open311Error.badRequest(exception.message));
  }
  const status = clientStatusOf(exception);
  if (status === 404) return expected(Open311Error.notFound('The URL names no Open311 resource'));
  if (status === 401 || status === 403) return expected(Open311Error.forbidden('Missing or invalid api_key'));
  if (status !== undefined) return expected(Open311Error.badRequest(messageOf(exception)));
  return {
    error: Open311Error.badRequest(
      'General service error: the request could not be processed; please notify us',
    ),
    unexpected: true,
  };
}

function expected(error: Open311Error): MappedOpen311Error {
  return { error, unexpected: false };
}

/** A 4xx that Nest or Fastify raised (a route not found, a body too large, a media type we do not parse). */
function clientStatusOf(exception: unknown): number | undefined {
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function messageOf(exception: unknown): string {
  return exception instanceof Error && exception.message ? exception.message : 'The request is invalid';
}
