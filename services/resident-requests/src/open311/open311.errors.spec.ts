import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
  ValidationError,
} from '@linli/platform';
import { BadRequestException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { Open311Error, toOpen311Error } from './open311.errors';

describe('errors as the specification’s error array', () => {
  it.each([
    [Open311Error.forbidden('Invalid api_key'), 403, false],
    [new NotFoundError('ticket', 'T1'), 404, false],
    [new ForbiddenError('no'), 403, false],
    [new UnauthorizedError('no'), 403, false],
    [ValidationError.field('reporter.phone', 'must be a phone number', 400), 400, false],
    [new ConflictError('taken'), 400, false],
    [new NotFoundException(), 404, false],
    [new BadRequestException('bad'), 400, false],
    [new PayloadTooLargeException(), 400, false],
    [
      Object.assign(new Error('Unsupported Media Type'), {
        statusCode: 415,
        code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
      }),
      400,
      false,
    ],
    [new Error('mongo is down'), 400, true],
  ])('%s → HTTP %i', (exception, status, unexpected) => {
    const mapped = toOpen311Error(exception);
    expect(mapped.error.status).toBe(status);
    expect(mapped.unexpected).toBe(unexpected);
    expect(mapped.error.errors.every((e) => e.code === status && e.description.length > 0)).toBe(true);
  });

  it('lists each field of a validation error, and never the internals of an unexpected one', () => {
    const fields = new ValidationError(
      [
        { field: 'description', message: 'too long' },
        { field: 'reporter.phone', message: 'not a phone' },
      ],
      400,
    );
    expect(toOpen311Error(fields).error.errors).toHaveLength(2);
    expect(toOpen311Error(new Error('connection refused 10.0.0.3')).error.message).not.toContain('10.0.0.3');
  });
});
