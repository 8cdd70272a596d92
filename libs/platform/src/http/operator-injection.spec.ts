import Fastify from 'fastify';
import { ValidationError } from '../errors/domain.errors';
import { findOperatorKey, installOperatorInjectionGuard, isOperatorKey } from './operator-injection';

describe('operator keys', () => {
  it.each(['$gt', '$where', 'phone[$ne]', 'a[b][$gt]', 'reporter.$where', 'a.b.$in'])('%s is one', (key) => {
    expect(isOperatorKey(key)).toBe(true);
  });

  it.each(['phone', 'attribute[WHISPAWN]', 'place.communityCode', 'price$', 'a[b]', ''])(
    '%s is not',
    (key) => {
      expect(isOperatorKey(key)).toBe(false);
    },
  );

  it('finds the path of an operator at any depth, in objects and arrays', () => {
    expect(findOperatorKey({ reporter: { name: '王', phone: { $gt: '' } } })).toBe('reporter.phone.$gt');
    expect(findOperatorKey({ items: [{ ok: 1 }, { $where: 'x' }] })).toBe('items.1.$where');
    expect(findOperatorKey({ 'status[$ne]': 'x' })).toBe('status[$ne]');
  });

  it('passes values that merely contain $ and bodies that are not objects', () => {
    expect(findOperatorKey({ note: '$gt', tags: ['$ne'] })).toBeUndefined();
    expect(findOperatorKey('name,phone\n王,$gt')).toBeUndefined();
    expect(findOperatorKey(undefined)).toBeUndefined();
    expect(findOperatorKey(null)).toBeUndefined();
    expect(findOperatorKey(Buffer.from('{"$gt": ""}'))).toBeUndefined();
  });

  it('walks a body nested far deeper than the call stack would allow', () => {
    let deep: Record<string, unknown> = { $ne: 1 };
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(findOperatorKey(deep)?.endsWith('a.$ne')).toBe(true);
  });
});

describe('the request hook', () => {
  const app = Fastify();
  let refused: ValidationError | undefined;
  beforeAll(async () => {
    installOperatorInjectionGuard(app);
    app.setErrorHandler((error, _request, reply) => {
      refused = error as unknown as ValidationError;
      void reply.status(400).send({ field: refused.errors[0]?.field });
    });
    app.post('/things', async () => ({ ok: true }));
    app.get('/things', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(() => app.close());

  it('refuses an operator in a query string key, naming it', async () => {
    const reply = await app.inject({ method: 'GET', url: '/things?phone[$ne]=&page=1' });
    expect(reply.statusCode).toBe(400);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(reply.json()).toEqual({ field: 'phone[$ne]' });
  });

  it('refuses an operator in a JSON body, naming its path', async () => {
    const reply = await app.inject({ method: 'POST', url: '/things', payload: { phone: { $gt: '' } } });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toEqual({ field: 'phone.$gt' });
  });

  it('lets ordinary requests through', async () => {
    expect((await app.inject({ method: 'GET', url: '/things?status=open' })).statusCode).toBe(200);
    const posted = await app.inject({ method: 'POST', url: '/things', payload: { phone: '13812345678' } });
    expect(posted.statusCode).toBe(200);
  });
});
