import { ConflictError, NotFoundError, toProblem } from '@linli/platform';
import { AggregateNotFoundError, ConcurrencyConflictError } from './persistence.errors';

describe('persistence errors at the edge', () => {
  it('a lost race is a 409 problem carrying the current version and status', () => {
    const error = new ConcurrencyConflictError('jobs', 'j-1', 3, 4, ['offered'], 'accepted');
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.status).toBe(409);
    expect(error.current).toEqual({ id: 'j-1', version: 4, status: 'accepted' });
  });

  it('a missing aggregate is a 404 problem naming it', () => {
    const error = new AggregateNotFoundError('tickets', 't-9');
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.message).toContain('t-9');
  });

  it('maps through the platform problem mapping to 409 with the current state', () => {
    const { problem } = toProblem(new ConcurrencyConflictError('jobs', 'j-1', 3, 4, ['offered'], 'accepted'));
    expect(problem).toMatchObject({ status: 409, current: { status: 'accepted', version: 4 } });
  });
});
