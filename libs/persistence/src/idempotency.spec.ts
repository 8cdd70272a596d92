import { DUPLICATE_KEY } from './counters';
import {
  createIdempotently,
  idempotencyRecord,
  IdempotencyKeyReusedError,
  type IdempotencyRecord,
} from './idempotency';

describe('idempotencyRecord', () => {
  const request = { key: 'k-1', fingerprint: 'f' };

  it('is undefined without a key', () => {
    expect(idempotencyRecord(undefined, 'op-1', 'tickets.create')).toBeUndefined();
  });

  it('scopes the key to the caller and the operation, and keeps the fingerprint', () => {
    const record = idempotencyRecord(request, 'op-1', 'tickets.create');
    expect(record).toEqual({ key: expect.stringMatching(/^[0-9a-f]{64}$/), request: 'f' });
    expect(idempotencyRecord(request, 'op-1', 'tickets.create')).toEqual(record);
    expect(idempotencyRecord(request, 'op-2', 'tickets.create')?.key).not.toBe(record?.key);
    expect(idempotencyRecord(request, 'op-1', 'cases.open')?.key).not.toBe(record?.key);
  });
});

describe('createIdempotently', () => {
  const record: IdempotencyRecord = { key: 'scoped', request: 'f' };
  const duplicate = () => Object.assign(new Error('E11000'), { code: DUPLICATE_KEY });

  it('without a record just creates', async () => {
    const find = jest.fn();
    expect(
      await createIdempotently(
        undefined,
        find,
        async () => 'new',
        () => 'repeat',
      ),
    ).toBe('new');
    expect(find).not.toHaveBeenCalled();
  });

  it('answers the prior creation without creating again', async () => {
    const create = jest.fn(async () => 'new');
    const result = await createIdempotently(
      record,
      async () => 'T1',
      create,
      (doc) => `repeat ${doc}`,
    );
    expect(result).toBe('repeat T1');
    expect(create).not.toHaveBeenCalled();
  });

  it('creates when the key is new', async () => {
    expect(
      await createIdempotently(
        record,
        async () => undefined,
        async () => 'new',
        () => 'repeat',
      ),
    ).toBe('new');
  });

  it.each([
    ['throws a duplicate-key error', () => Promise.reject(duplicate())],
    ['reports the key taken with undefined', () => Promise.resolve(undefined)],
  ])('answers the concurrent twin when the insert %s', async (_, create) => {
    const find = jest.fn().mockResolvedValueOnce(undefined).mockResolvedValueOnce('T-twin');
    expect(await createIdempotently(record, find, create, (doc) => `repeat ${doc}`)).toBe('repeat T-twin');
  });

  it('passes on a duplicate-key error that was not about the key', async () => {
    const error = duplicate();
    await expect(
      createIdempotently(
        record,
        async () => undefined,
        () => Promise.reject(error),
        () => 'repeat',
      ),
    ).rejects.toBe(error);
  });

  it('passes on other errors untouched, and the 422 of a reused key', async () => {
    const boom = new Error('boom');
    await expect(
      createIdempotently(
        record,
        async () => undefined,
        () => Promise.reject(boom),
        () => 'r',
      ),
    ).rejects.toBe(boom);
    const reused = async () => {
      throw new IdempotencyKeyReusedError();
    };
    await expect(
      createIdempotently(
        record,
        reused,
        async () => 'new',
        () => 'r',
      ),
    ).rejects.toMatchObject({
      status: 422,
      errors: [{ field: 'Idempotency-Key', message: expect.any(String) }],
    });
  });
});
