// A stand-in SMS gateway in the runner's process: notifications' real `http` SMS adapter posts to it
// (SMS_ADAPTER=http, SMS_GATEWAY_URL=<url>), so what it takes is the platform's real external effect. Like a real
// gateway honouring the adapter's `reference` (the delivery id), a message re-posted with a reference it already
// took is answered the same and not sent again; it is counted apart (`repeats`), so the check can tell a harmless
// re-post from a second message. It keeps running across every fault of the run: start it once, before the
// platform, and stop it after the check.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TakenSms {
  to: string;
  text: string;
  reference: string;
  at: string;
  /** From the acknowledgement link in the text, when there is one: a=, r=, t=. */
  alertId?: string;
  recipientId?: string;
  token?: string;
}

export interface FakeSmsGateway {
  /** Where notifications posts: SMS_GATEWAY_URL. */
  url: string;
  /** Every message taken, once per reference. */
  taken(): TakenSms[];
  /** References posted again after they were taken, with how many times. */
  repeats(): Record<string, number>;
  /**
   * Forgets everything taken: a new platform (a new scenario's namespace) numbers its alerts and deliveries from the
   * start again, so its references would otherwise read as re-posts of the last scenario's, and their links as its.
   */
  clear(): void;
  stop(): Promise<void>;
}

/** The acknowledgement link's query in an alert SMS: `...?a=<alertId>&r=<recipientId>&t=<token>`. */
export function ackLinkOf(text: string): { alertId: string; recipientId: string; token: string } | undefined {
  const url = /https?:\/\/\S+/.exec(text)?.[0];
  if (!url) return undefined;
  try {
    const query = new URL(url).searchParams;
    const [alertId, recipientId, token] = [query.get('a'), query.get('r'), query.get('t')];
    return alertId && recipientId && token ? { alertId, recipientId, token } : undefined;
  } catch {
    return undefined;
  }
}

/** The gateway's port when the chaos runner makes the alerts part itself (`new AlertsPart()`). */
export const DEFAULT_FAKE_SMS_PORT = 42690;

/**
 * A fake gateway listening on a port known at once (so a part's env can name it before it listens): its url now,
 * `ready` once it listens. It does not keep the process alive.
 */
export function listenFakeSmsGateway(
  port: number,
  host = '127.0.0.1',
): FakeSmsGateway & { ready: Promise<void> } {
  const taken = new Map<string, TakenSms>();
  const repeats: Record<string, number> = {};
  const server: Server = createServer((req, res) => {
    void bodyOf(req).then((raw) => {
      let message: { to?: unknown; text?: unknown; reference?: unknown };
      try {
        message = JSON.parse(raw) as typeof message;
      } catch {
        message = {};
      }
      const { to, text, reference } = message;
      if (
        req.method !== 'POST' ||
        typeof to !== 'string' ||
        typeof text !== 'string' ||
        typeof reference !== 'string'
      ) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"to, text and reference"}');
        return;
      }
      if (taken.has(reference)) repeats[reference] = (repeats[reference] ?? 0) + 1;
      else taken.set(reference, { to, text, reference, at: new Date().toISOString(), ...ackLinkOf(text) });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ messageId: reference }));
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.unref();
  const gateway = {
    ready,
    url: `http://${host}:${port}/sms`,
    taken: () => [...taken.values()],
    repeats: () => ({ ...repeats }),
    clear: () => {
      taken.clear();
      for (const reference of Object.keys(repeats)) delete repeats[reference];
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  ready
    .then(() => {
      gateway.url = `http://${host}:${(server.address() as AddressInfo).port}/sms`;
    })
    .catch(() => undefined);
  return gateway;
}

/** Starts a fake gateway (port 0: any free one) and answers once it listens. */
export async function startFakeSmsGateway(port = 0, host = '127.0.0.1'): Promise<FakeSmsGateway> {
  const gateway = listenFakeSmsGateway(port, host);
  await gateway.ready;
  return gateway;
}

let shared: (FakeSmsGateway & { ready: Promise<void> }) | undefined;

/** One gateway for the whole runner process (every scenario's alerts part), on CHAOS_FAKE_SMS_PORT or the default. */
export function sharedFakeSmsGateway(): FakeSmsGateway & { ready: Promise<void> } {
  shared ??= listenFakeSmsGateway(Number(process.env['CHAOS_FAKE_SMS_PORT'] ?? DEFAULT_FAKE_SMS_PORT));
  return shared;
}

function bodyOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
