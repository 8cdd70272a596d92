// One webhook call over HTTP(S), to the address the target check approved: the socket is opened to that address
// (a `lookup` that answers with it), while the Host header and TLS name stay the URL's host, so a DNS answer
// changed since the check (rebinding) cannot send the call elsewhere. Redirects are never followed.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { CheckedTarget } from './webhook-target.rules';

/** The most of an answer read; the rest is dropped (only the status matters). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The call got no HTTP answer: `timeout` (WEBHOOK_TIMEOUT_MS) or `unreachable` (refused, reset, TLS…). */
export class WebhookCallError extends Error {
  constructor(
    readonly reason: 'timeout' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookCallError';
  }
}

/** POSTs `body`; resolves with the HTTP status of the answer, or throws WebhookCallError. */
export function postWebhook(
  target: CheckedTarget,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  const { url } = target;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
        { address: target.address, family: target.family },
      ]);
    } else {
      callback(null, target.address, target.family);
    }
  };
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const finish = (error: WebhookCallError | undefined, status?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(status as number);
    };
    const req = request(
      {
        protocol: url.protocol,
        hostname: target.hostname,
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: {
          ...headers,
          'content-length': Buffer.byteLength(body),
          'user-agent': 'linli-notifications',
        },
        lookup: pinned,
        agent: false,
      },
      (answer: IncomingMessage) => {
        let read = 0;
        answer.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) answer.destroy();
        });
        answer.on('error', () => undefined);
        answer.on('close', () => finish(undefined, answer.statusCode ?? 0));
        answer.on('end', () => finish(undefined, answer.statusCode ?? 0));
      },
    );
    const timer = setTimeout(() => {
      finish(new WebhookCallError('timeout', `no answer within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish(new WebhookCallError('unreachable', error.code ?? error.message)),
    );
    req.end(body);
  });
}
