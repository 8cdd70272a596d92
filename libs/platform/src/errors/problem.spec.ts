import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from './domain.errors';
import {
  GENERIC_PROBLEM_TYPE,
  INTERNAL_ERROR_DETAIL,
  STORE_UNAVAILABLE_DETAIL,
  STORE_UNAVAILABLE_RETRY_AFTER_S,
  toProblem,
  type ProblemDocument,
} from './problem';

/** Fastify's body errors as they are constructed by @fastify/error. */
function fastifyError(code: string, statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { name: 'FastifyError', code, statusCode });
}

class ServiceUnavailableDomainError extends DomainError {
  readonly status = 503;
  readonly slug = 'dispatch-paused';
  readonly title = 'Dispatch is paused';
}

const cases: [string, unknown, Partial<ProblemDocument>, boolean][] = [
  [
    'NotFoundError',
    new NotFoundError('job', 'j-1'),
    {
      type: 'urn:linli:problem:not-found',
      status: 404,
      detail: 'job j-1 was not found',
      resource: 'job',
      id: 'j-1',
    },
    false,
  ],
  [
    'ConflictError with the current state',
    new ConflictError('job j-1 is already accepted', { status: 'accepted', version: 4 }),
    { type: 'urn:linli:problem:conflict', status: 409, current: { status: 'accepted', version: 4 } },
    false,
  ],
  [
    'ValidationError (422 by default)',
    ValidationError.field('dueAt', 'must be in the future'),
    {
      type: 'urn:linli:problem:validation',
      status: 422,
      errors: [{ field: 'dueAt', message: 'must be in the future' }],
    },
    false,
  ],
  [
    'ValidationError as 400',
    new ValidationError([{ field: 'name', message: 'name must be a string' }], 400),
    { status: 400, detail: 'name: name must be a string' },
    false,
  ],
  [
    'ForbiddenError',
    new ForbiddenError('outside your jurisdiction'),
    { type: 'urn:linli:problem:forbidden', status: 403 },
    false,
  ],
  [
    'UnauthorizedError',
    new UnauthorizedError('token expired'),
    { type: 'urn:linli:problem:unauthorized', status: 401 },
    false,
  ],
  [
    'a 5xx domain error',
    new ServiceUnavailableDomainError('paused'),
    { status: 503, title: 'Dispatch is paused' },
    true,
  ],
  [
    'Nest NotFoundException',
    new NotFoundException('Cannot GET /x'),
    { type: GENERIC_PROBLEM_TYPE, title: 'Not Found', status: 404, detail: 'Cannot GET /x' },
    false,
  ],
  [
    'Nest ForbiddenException',
    new ForbiddenException(),
    { title: 'Forbidden', status: 403, detail: 'Forbidden' },
    false,
  ],
  [
    'Nest BadRequestException with a message list',
    new BadRequestException(['a is bad', 'b is bad']),
    { status: 400, detail: 'a is bad; b is bad' },
    false,
  ],
  [
    'Nest PayloadTooLargeException',
    new PayloadTooLargeException(),
    { title: 'Payload Too Large', status: 413 },
    false,
  ],
  [
    'an HttpException with a string body',
    new HttpException('slow down', 429),
    { title: 'Too Many Requests', status: 429, detail: 'slow down' },
    false,
  ],
  [
    'a Fastify body too large',
    fastifyError('FST_ERR_CTP_BODY_TOO_LARGE', 413, 'Request body is too large'),
    { status: 413, detail: 'Request body is too large' },
    false,
  ],
  [
    'a Fastify unsupported media type',
    fastifyError('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'Unsupported Media Type'),
    { title: 'Unsupported Media Type', status: 415 },
    false,
  ],
  [
    'a Fastify malformed JSON',
    fastifyError('FST_ERR_CTP_INVALID_JSON_BODY', 400, 'Body is not valid JSON'),
    { title: 'Bad Request', status: 400 },
    false,
  ],
  [
    'Nest InternalServerErrorException',
    new InternalServerErrorException('db password wrong'),
    { status: 500, detail: INTERNAL_ERROR_DETAIL },
    true,
  ],
  [
    'a plain Error',
    new Error('connect ECONNREFUSED 10.0.0.5:27017'),
    {
      type: GENERIC_PROBLEM_TYPE,
      title: 'Internal Server Error',
      status: 500,
      detail: INTERNAL_ERROR_DETAIL,
    },
    true,
  ],
  ['a thrown string', 'boom', { status: 500, detail: INTERNAL_ERROR_DETAIL }, true],
  [
    'an error-shaped object that is not a Fastify error',
    Object.assign(new Error('x'), { statusCode: 400 }),
    { status: 500 },
    true,
  ],
];

describe('toProblem', () => {
  it.each(cases)('maps %s', (_case, error, expected, unexpected) => {
    const mapped = toProblem(error, '/jobs/j-1');
    expect(mapped.problem).toMatchObject({ ...expected, instance: '/jobs/j-1' });
    expect(mapped.unexpected).toBe(unexpected);
  });

  it('never lets a 5xx carry the error message', () => {
    const { problem } = toProblem(new Error('mongodb://admin:secret@db'));
    expect(JSON.stringify(problem)).not.toContain('secret');
  });

  it('keeps the standard members when an extension tries to overwrite them', () => {
    class SneakyError extends ConflictError {
      override extensions() {
        return { status: 200, type: 'x' };
      }
    }
    expect(toProblem(new SneakyError('no')).problem).toMatchObject({
      status: 409,
      type: 'urn:linli:problem:conflict',
    });
  });

  it('leaves instance out when the request path is unknown', () => {
    expect(toProblem(new NotFoundError('job', 'j-1')).problem).not.toHaveProperty('instance');
  });

  describe('a data store that could not be reached or did not answer', () => {
    /** The MongoDB driver's and mongoose's errors as they are thrown: their class names are their `name`. */
    function storeError(name: string, message: string): Error {
      const error = new Error(message);
      Object.defineProperty(error, 'name', { get: () => name });
      return error;
    }

    it.each([
      'MongoServerSelectionError',
      'MongooseServerSelectionError',
      'MongoNetworkError',
      'MongoNetworkTimeoutError',
      'MongoPoolClearedError',
      'MongoWaitQueueTimeoutError',
      'MongoNotConnectedError',
      'MongoTopologyClosedError',
    ])('answers %s with 503 and Retry-After, saying nothing of the server', (name) => {
      const mapped = toProblem(
        storeError(name, 'connect ECONNREFUSED mongodb://admin:secret@10.0.0.5'),
        '/tickets',
      );
      expect(mapped.problem).toEqual({
        type: GENERIC_PROBLEM_TYPE,
        title: 'Service Unavailable',
        status: 503,
        detail: STORE_UNAVAILABLE_DETAIL,
        instance: '/tickets',
      });
      expect(mapped.retryAfterSeconds).toBe(STORE_UNAVAILABLE_RETRY_AFTER_S);
      // Still logged with its stack: an outage is worth a line, but not a bug's.
      expect(mapped.unexpected).toBe(true);
      expect(JSON.stringify(mapped.problem)).not.toContain('secret');
    });

    it('leaves the driver’s other errors (a server-side refusal, a bug) at 500 without Retry-After', () => {
      for (const name of [
        'MongoServerError',
        'MongoBulkWriteError',
        'MongoInvalidArgumentError',
        'TypeError',
      ]) {
        const mapped = toProblem(storeError(name, 'E11000 duplicate key'));
        expect(mapped.problem.status).toBe(500);
        expect(mapped.problem.detail).toBe(INTERNAL_ERROR_DETAIL);
        expect(mapped.retryAfterSeconds).toBeUndefined();
      }
    });
  });
});
