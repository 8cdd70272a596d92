import { downstreamResponseHeaders, upstreamRequestHeaders, wantsEventStream } from './proxy.headers';

const forwarded = {
  address: '10.1.2.3',
  protocol: 'https',
  host: 'linli.example.gov.cn',
  correlationId: 'corr-1',
};

describe('upstreamRequestHeaders', () => {
  it('keeps end-to-end headers (token, content type, trace context)', () => {
    const out = upstreamRequestHeaders(
      {
        authorization: 'Bearer t',
        'content-type': 'application/json',
        traceparent: '00-abc-def-01',
        accept: 'application/json',
      },
      forwarded,
    );
    expect(out).toMatchObject({
      authorization: 'Bearer t',
      'content-type': 'application/json',
      traceparent: '00-abc-def-01',
      accept: 'application/json',
    });
  });

  it.each([
    'connection',
    'keep-alive',
    'te',
    'trailer',
    'transfer-encoding',
    'upgrade',
    'proxy-authorization',
  ])('drops the hop-by-hop header %s', (name) => {
    expect(upstreamRequestHeaders({ [name]: 'x' }, forwarded)).not.toHaveProperty(name);
  });

  it('drops the headers the Connection header names', () => {
    const out = upstreamRequestHeaders(
      { connection: 'keep-alive, X-Secret , x-other', 'x-secret': 's', 'x-other': 'o', 'x-kept': 'k' },
      forwarded,
    );
    expect(out).not.toHaveProperty('x-secret');
    expect(out).not.toHaveProperty('x-other');
    expect(out['x-kept']).toBe('k');
  });

  it('writes x-forwarded-for with the address the gateway saw, whatever the caller claimed', () => {
    const out = upstreamRequestHeaders(
      { 'x-forwarded-for': '203.0.113.9', forwarded: 'for=203.0.113.9', 'x-real-ip': '203.0.113.9' },
      forwarded,
    );
    expect(out['x-forwarded-for']).toBe('10.1.2.3');
    expect(out['x-forwarded-proto']).toBe('https');
    expect(out['x-forwarded-host']).toBe('linli.example.gov.cn');
    expect(out).not.toHaveProperty('forwarded');
    expect(out).not.toHaveProperty('x-real-ip');
  });

  it("passes the gateway's correlation id on, even when the Connection header names it", () => {
    const out = upstreamRequestHeaders(
      { connection: 'x-correlation-id, x-forwarded-for', 'x-correlation-id': 'caller-id' },
      forwarded,
    );
    expect(out['x-correlation-id']).toBe('corr-1');
    expect(out['x-forwarded-for']).toBe('10.1.2.3');
  });
});

describe('downstreamResponseHeaders', () => {
  it("drops the service's hop-by-hop headers and keeps the rest", () => {
    expect(
      downstreamResponseHeaders({
        connection: 'keep-alive, x-hop',
        'keep-alive': 'timeout=5',
        'x-hop': 'h',
        'content-type': 'application/json',
        location: '/tickets/1',
      }),
    ).toEqual({ 'content-type': 'application/json', location: '/tickets/1' });
  });
});

describe('wantsEventStream', () => {
  it.each([
    ['text/event-stream', true],
    ['text/event-stream, */*;q=0.1', true],
    [['application/json', 'Text/Event-Stream'], true],
    ['application/json', false],
    [undefined, false],
  ])('%j -> %s', (accept, expected) => {
    expect(wantsEventStream(accept as string | string[] | undefined)).toBe(expected);
  });
});
