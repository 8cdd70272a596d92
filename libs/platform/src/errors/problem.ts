// The one mapping from anything thrown to an RFC 9457 problem document. Pure, so the whole table is unit-tested.
import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainError, type FieldError } from './domain.errors';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Domain problem types are URNs: stable identifiers that promise no documentation host we do not run. */
export const PROBLEM_TYPE_PREFIX = 'urn:linli:problem:';

/** RFC 9457: a problem with no more specific type than its status code. */
export const GENERIC_PROBLEM_TYPE = 'about:blank';

/** What a client sees for a 5xx: nothing about the code, the stack or the infrastructure. */
export const INTERNAL_ERROR_DETAIL =
  'An unexpected error occurred. Quote the correlation id when reporting it.';

/**
 * What a client sees when the service's data store could not be reached or did not answer in time (an outage, a
 * failover, a server too busy to answer): not its request's fault, and worth retrying.
 */
export const STORE_UNAVAILABLE_DETAIL =
  'The service could not reach its data store in time. Retry shortly; quote the correlation id if this persists.';

/** The Retry-After of a 503 for an unreachable store: about one failover or restart of a replica-set member. */
export const STORE_UNAVAILABLE_RETRY_AFTER_S = 5;

/**
 * The MongoDB driver's and mongoose's errors that say the store was not reached or did not answer (their class
 * names, which are their `name`): server selection timed out, the connection failed or was closed, the pool was
 * cleared or had no connection in time. By name, so this pure module needs no driver. A server's own refusal
 * (MongoServerError: a duplicate key, a validation) is not among them: it is an answer, and a bug if unexpected.
 */
const STORE_UNAVAILABLE_ERRORS: ReadonlySet<string> = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Fields at fault, for validation problems. */
  errors?: readonly FieldError[];
  [extension: string]: unknown;
}

export interface MappedProblem {
  problem: ProblemDocument;
  /** True when the error was not one we meant to throw: the filter logs it with its stack. */
  unexpected: boolean;
  /** Seconds for a Retry-After header, when retrying later is the answer (503). */
  retryAfterSeconds?: number;
}

const SERVER_ERROR_FLOOR = HttpStatus.INTERNAL_SERVER_ERROR;

export function toProblem(error: unknown, instance?: string): MappedProblem {
  if (error instanceof DomainError) {
    return {
      problem: {
        ...error.extensions(),
        type: `${PROBLEM_TYPE_PREFIX}${error.slug}`,
        title: error.title,
        status: error.status,
        detail: error.message,
        ...(instance === undefined ? {} : { instance }),
      },
      unexpected: error.status >= SERVER_ERROR_FLOOR,
    };
  }
  if (error instanceof Error && STORE_UNAVAILABLE_ERRORS.has(error.name)) {
    return {
      problem: generic(HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE_DETAIL, instance),
      unexpected: true,
      retryAfterSeconds: STORE_UNAVAILABLE_RETRY_AFTER_S,
    };
  }
  const status = httpStatusOf(error);
  if (status !== undefined && status < SERVER_ERROR_FLOOR) {
    return { problem: generic(status, clientMessageOf(error), instance), unexpected: false };
  }
  return {
    problem: generic(status ?? SERVER_ERROR_FLOOR, INTERNAL_ERROR_DETAIL, instance),
    unexpected: true,
  };
}

function generic(status: number, detail: string | undefined, instance: string | undefined): ProblemDocument {
  return {
    type: GENERIC_PROBLEM_TYPE,
    // RFC 9457 §4.2.1: with about:blank the title is the status code's reason phrase.
    title: STATUS_CODES[status] ?? 'Error',
    status,
    ...(detail === undefined ? {} : { detail }),
    ...(instance === undefined ? {} : { instance }),
  };
}

/**
 * The status an error asks for: Nest's HttpException, or the errors Fastify raises while reading a body
 * (FST_ERR_CTP_BODY_TOO_LARGE 413, FST_ERR_CTP_INVALID_MEDIA_TYPE 415, FST_ERR_CTP_INVALID_JSON_BODY 400...),
 * which carry `statusCode`. Nest wraps the latter into HttpExceptions; both shapes are accepted here.
 */
function httpStatusOf(error: unknown): number | undefined {
  if (error instanceof HttpException) return error.getStatus();
  if (isFastifyError(error)) return error.statusCode;
  return undefined;
}

function isFastifyError(error: unknown): error is Error & { statusCode: number; code: string } {
  if (!(error instanceof Error)) return false;
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  return typeof statusCode === 'number' && typeof code === 'string' && code.startsWith('FST_');
}

function clientMessageOf(error: unknown): string | undefined {
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
    return error.message;
  }
  return error instanceof Error ? error.message : undefined;
}
