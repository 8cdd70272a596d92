import { BadGatewayError, UpstreamTimeoutError, UpstreamUnavailableError } from './edge.errors';
import Fastify, { type FastifyInstance } from 'fastify';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { proxyPlugin, upstreamProblem } from './proxy.plugin';
import type { RoutedService } from './upstreams';

const failure = (code: string, causeCode?: string) =>
  Object.assign(new Error(code), {
    code,
    ...(causeCode ? { cause: Object.assign(new Error(causeCode), { code: causeCode }) } : {}),
  });

describe('upstreamProblem', () => {
  it.each([
    [
      'connection refused',
      failure('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'ECONNREFUSED'),
      UpstreamUnavailableError,
    ],
    ['unknown host', failure('FST_REPLY_FROM_SERVICE_UNAVAILABLE', 'ENOTFOUND'), UpstreamUnavailableError],
    [
      'connect timeout',
      failure('UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'),
      UpstreamUnavailableError,
    ],
    [
      'no answer in time',
      failure('FST_REPLY_FROM_GATEWAY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'),
      UpstreamTimeoutError,
    ],
    [
      'body stalled',
      failure('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'UND_ERR_BODY_TIMEOUT'),
      UpstreamTimeoutError,
    ],
    ['connection reset', failure('ECONNRESET', 'ECONNRESET'), BadGatewayError],
    ['socket closed', failure('UND_ERR_SOCKET', 'UND_ERR_SOCKET'), BadGatewayError],
    ['an invalid status', failure('FST_REPLY_FROM_BAD_GATEWAY'), BadGatewayError],
  ])('%s', (_what, error, expected) => {
    const problem = upstreamProblem('dispatch', error);
    expect(problem).toBeInstanceOf(expected);
    expect(problem.extensions()).toEqual({ service: 'dispatch' });
  });
});

describe('proxyPlugin over several instances', () => {
  /** A service instance on a random port that answers with its name, and counts what it got. */
  async function instance(name: string, behaviour: 'answer' | 'reset' = 'answer') {
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      if (behaviour === 'reset') {
        request.socket.destroy();
        return;
      }
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ instance: name }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((r) => server.close(r)) };
  }

  /** A URL nobody listens on: a port just freed. */
  async function refusing(): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return `http://127.0.0.1:${port}`;
  }

  async function gateway(bases: string[]): Promise<FastifyInstance> {
    const app = Fastify();
    await app.register(proxyPlugin, {
      upstreams: new Map<RoutedService, readonly string[]>([['dispatch', bases]]),
      bodyLimit: 1_000_000,
      upstreamTimeoutMs: 10_000,
    });
    return app;
  }

  const closing: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    await Promise.all(closing.splice(0).map((close) => close()));
  });

  it('balances requests over the instances in turn', async () => {
    const [a, b] = [await instance('a'), await instance('b')];
    const app = await gateway([a.url, b.url]);
    closing.push(a.close, b.close, () => app.close());
    const answers = [];
    for (let i = 0; i < 4; i++)
      answers.push((await app.inject({ url: '/api/dispatch/jobs' })).json().instance);
    expect(answers).toEqual(['a', 'b', 'a', 'b']);
  });

  it('sends a command refused by one instance to the next (nothing reached the first)', async () => {
    const b = await instance('b');
    const app = await gateway([await refusing(), b.url]);
    closing.push(b.close, () => app.close());
    for (let i = 0; i < 3; i++) {
      const answer = await app.inject({ method: 'POST', url: '/api/dispatch/jobs', payload: { n: i } });
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ instance: 'b' });
    }
    expect(b.seen).toEqual(['POST /jobs', 'POST /jobs', 'POST /jobs']);
  });

  it('answers 503 when every instance refuses', async () => {
    const app = await gateway([await refusing(), await refusing()]);
    closing.push(() => app.close());
    const answer = await app.inject({ method: 'POST', url: '/api/dispatch/jobs', payload: {} });
    expect(answer.statusCode).toBe(503);
  });

  it('never sends again a command that reached an instance; a read goes on to the next', async () => {
    const [broken, b] = [await instance('broken', 'reset'), await instance('b')];
    const app = await gateway([broken.url, b.url]);
    closing.push(broken.close, b.close, () => app.close());
    const command = await app.inject({ method: 'POST', url: '/api/dispatch/jobs', payload: {} });
    expect(command.statusCode).toBe(502);
    expect(b.seen).toEqual([]);
    // The turn is now b's: the read starts there, so send two to meet the broken one first once.
    const reads = [
      await app.inject({ url: '/api/dispatch/jobs/1' }),
      await app.inject({ url: '/api/dispatch/jobs/2' }),
    ];
    expect(reads.map((read) => read.statusCode)).toEqual([200, 200]);
    expect(broken.seen).toEqual(['POST /jobs', 'GET /jobs/2']);
    expect(b.seen).toEqual(['GET /jobs/1', 'GET /jobs/2']);
  });
});
