import { DOWN_MS, mayTryAnother, notReached, UpstreamPool } from './upstream-pool';

const A = 'http://127.0.0.1:3102';
const B = 'http://127.0.0.1:3112';
const C = 'http://127.0.0.1:3122';

/** An error as reply-from hands it over: its own code, undici's in the cause. */
const failure = (code: string, causeCode?: string) =>
  Object.assign(new Error(code), {
    code,
    ...(causeCode ? { cause: Object.assign(new Error(causeCode), { code: causeCode }) } : {}),
  });

describe('UpstreamPool', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('takes the instances in turn', () => {
    const pool = new UpstreamPool([A, B, C], clock);
    expect([pool.pick(), pool.pick(), pool.pick(), pool.pick()]).toEqual([A, B, C, A]);
  });

  it('one instance: always that one', () => {
    const pool = new UpstreamPool([A], clock);
    expect([pool.pick(), pool.pick()]).toEqual([A, A]);
  });

  it('a request tries each instance once, then has none left', () => {
    const pool = new UpstreamPool([A, B, C], clock);
    const tried = new Set<string>();
    const order: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) {
      const base = pool.pick(tried);
      order.push(base);
      if (base) tried.add(base);
    }
    expect(order).toEqual([A, B, C, undefined]);
  });

  it('passes over an instance marked down for DOWN_MS, then tries it again', () => {
    const pool = new UpstreamPool([A, B, C], clock);
    pool.markDown(B);
    expect([pool.pick(), pool.pick(), pool.pick()]).toEqual([A, C, A]);
    now += DOWN_MS;
    expect([pool.pick(), pool.pick()]).toEqual([B, C]);
  });

  it('when every untried instance is marked down, still tries one (the mark may be stale)', () => {
    const pool = new UpstreamPool([A, B], clock);
    pool.markDown(A);
    pool.markDown(B);
    const first = pool.pick();
    expect([A, B]).toContain(first);
    expect(pool.pick(new Set([first as string]))).toBe(first === A ? B : A);
  });

  it('refuses an empty list', () => {
    expect(() => new UpstreamPool([])).toThrow(/at least one/);
  });
});

describe('which failures go on to another instance', () => {
  it.each([
    ['connection refused', failure('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'ECONNREFUSED')],
    ['connect timeout', failure('FST_REPLY_FROM_CONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT')],
    ['unknown host', failure('FST_REPLY_FROM_SERVICE_UNAVAILABLE', 'ENOTFOUND')],
    ['host unreachable', failure('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'EHOSTUNREACH')],
  ])('%s: nothing reached the service, any method', (_what, error) => {
    expect(notReached(error)).toBe(true);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'])
      expect(mayTryAnother(method, error)).toBe(true);
  });

  it.each([
    ['connection reset', failure('FST_REPLY_FROM_CONNECTION_RESET', 'ECONNRESET')],
    ['socket closed', failure('FST_REPLY_FROM_UNDICI_SOCKET', 'UND_ERR_SOCKET')],
    ['no answer in time', failure('FST_REPLY_FROM_GATEWAY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT')],
  ])('%s: the request was sent; only reads go on', (_what, error) => {
    expect(notReached(error)).toBe(false);
    expect(mayTryAnother('GET', error)).toBe(true);
    expect(mayTryAnother('HEAD', error)).toBe(true);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(mayTryAnother(method, error)).toBe(false);
  });
});
