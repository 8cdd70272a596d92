// The webhook call against a local server: it dials the address the target check approved whatever the host name
// would resolve to now (DNS rebinding), keeps the URL's host in the Host header, follows no redirect, and tells a
// timeout from a refused connection.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook, WebhookCallError } from './webhook.client';
import type { CheckedTarget } from './webhook-target.rules';

describe('webhook client', () => {
  let server: Server;
  let port: number;
  const seen: { headers: IncomingHttpHeaders; body: string; url: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        seen.push({ headers: req.headers, body, url: req.url ?? '' });
        if (req.url === '/redirect') {
          res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' });
          return res.end();
        }
        if (req.url === '/slow') return void setTimeout(() => res.end(), 2_000).unref();
        res.statusCode = 202;
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A target whose host name resolves nowhere: only the pinned address can be dialled. */
  const target = (path: string, hostname = 'hooks.rebind.invalid'): CheckedTarget => ({
    url: new URL(`http://${hostname}:${port}${path}`),
    hostname,
    address: '127.0.0.1',
    family: 4,
  });

  it('connects to the checked address, not to what the host name resolves to, with the Host header kept', async () => {
    const status = await postWebhook(target('/hook?x=1'), '{"a":1}', { 'x-linli-delivery': 'd-1' }, 1_000);
    expect(status).toBe(202);
    const call = seen.find((c) => c.url === '/hook?x=1');
    expect(call?.headers.host).toBe(`hooks.rebind.invalid:${port}`);
    expect(call?.headers['x-linli-delivery']).toBe('d-1');
    expect(call?.body).toBe('{"a":1}');
  });

  it('does not follow a redirect: the 302 is the answer', async () => {
    expect(await postWebhook(target('/redirect'), '{}', {}, 1_000)).toBe(302);
    expect(seen.filter((c) => c.url === '/redirect')).toHaveLength(1);
  });

  it('gives up after the timeout', async () => {
    const error = await postWebhook(target('/slow'), '{}', {}, 200).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookCallError);
    expect(error).toMatchObject({ reason: 'timeout' });
  });

  it('a closed port is unreachable, named by its error code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await postWebhook(
      {
        url: new URL(`http://127.0.0.1:${closedPort}/`),
        hostname: '127.0.0.1',
        address: '127.0.0.1',
        family: 4,
      },
      '{}',
      {},
      1_000,
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'unreachable', message: 'ECONNREFUSED' });
  });
});
