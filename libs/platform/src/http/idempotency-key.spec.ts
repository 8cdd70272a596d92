import { ValidationError } from '../errors/domain.errors';
import { canonicalJson, parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it.each([
    ['a UUID', '3f1c2b9e-8f4a-4c7e-9d2a-1b2c3d4e5f60'],
    ['one character', 'k'],
    ['128 characters', 'x'.repeat(128)],
    ['any visible ASCII', '!~{}[]:;"\'<>?/\\|`'],
  ])('accepts %s', (_, key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it('is undefined without the header', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'x'.repeat(129)],
    ['a space', 'two words'],
    ['a tab', 'a\tb'],
    ['non-ASCII', '幂等'],
    ['given twice', ['a', 'b']],
  ])('refuses %s with a 400 naming Idempotency-Key', (_, value) => {
    let error: unknown;
    try {
      parseIdempotencyKey(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(400);
    expect((error as ValidationError).errors.map((e) => e.field)).toEqual(['Idempotency-Key']);
  });
});

describe('requestFingerprint', () => {
  const request = { params: { incidentId: 'I1' }, query: {}, body: { a: 1, b: { c: [1, { d: 2, e: 3 }] } } };

  it('ignores the order of keys and members left undefined', () => {
    const reordered = {
      query: {},
      body: { b: { c: [1, { e: 3, d: 2 }] }, a: 1, z: undefined },
      params: { incidentId: 'I1' },
    };
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(request));
  });

  it.each([
    ['a value', { ...request, body: { ...request.body, a: 2 } }],
    ['a route parameter', { ...request, params: { incidentId: 'I2' } }],
    ['the order of an array', { ...request, body: { ...request.body, b: { c: [{ d: 2, e: 3 }, 1] } } }],
    ['a number for its string', { ...request, body: { ...request.body, a: '1' } }],
  ])('changes with %s', (_, changed) => {
    expect(requestFingerprint(changed)).not.toBe(requestFingerprint(request));
  });

  it('canonical JSON sorts keys at every depth', () => {
    expect(canonicalJson({ b: [{ y: 1, x: null }], a: 'é' })).toBe('{"a":"é","b":[{"x":null,"y":1}]}');
  });
});
