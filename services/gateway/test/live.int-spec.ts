// The gateway's live push (GET /live) as a process on the real stack: events produced on a domain topic arrive as
// id-only notices to the users whose jurisdiction covers them; tokens and sessions are checked when the stream opens
// and while it is open (revoked, expired); a user's streams are capped; the browser libraries at /vendor/; and at
// shutdown the streams end and the instance's consumer group is deleted.
import { DEV_TOKEN_SETTINGS, signToken } from '@linli/auth';
import { createEvent, jobTopic, toKafkaRecord } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { eventually, kafkaTopic, tokenFor } from '@linli/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import {
  BOOTSTRAP_ADMIN_PASSWORD,
  bearer,
  call,
  signedIn,
  startGateway,
  type ServiceProcess,
} from './support';

const MAX_STREAMS_PER_USER = 2;
/** Short, so a revoked session's stream ends within the test's patience (the check runs with the heartbeat). */
const HEARTBEAT_MS = 300;
const DISTRICT = '320106';

/** A stream of GET /live read as the console reads it (fetch and a reader), its text kept as it comes. */
class LiveReader {
  text = '';
  readonly ended: Promise<void>;
  private waiters: (() => void)[] = [];

  private constructor(
    readonly response: Response,
    reader: ReadableStreamDefaultReader<string>,
    private readonly abort: AbortController,
  ) {
    this.ended = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          this.text += value;
          for (const wake of this.waiters.splice(0)) wake();
        }
      } catch {
        // aborted by the test
      }
      for (const wake of this.waiters.splice(0)) wake();
    })();
  }

  static async open(gateway: ServiceProcess, headers: Record<string, string>): Promise<LiveReader> {
    const abort = new AbortController();
    const response = await fetch(`${gateway.url}/live`, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new Error(`GET /live answered ${response.status}`);
    }
    return new LiveReader(response, response.body.pipeThrough(new TextDecoderStream()).getReader(), abort);
  }

  /** The data of each `change` event received so far. */
  notices(): Record<string, unknown>[] {
    return [...this.text.matchAll(/event: change\n(?:id: [^\n]*\n)?data: ([^\n]*)\n\n/g)].map(
      (match) => JSON.parse(match[1] as string) as Record<string, unknown>,
    );
  }

  /** Waits until a notice with this event id has arrived (true), or `withinMs` passed or the stream ended. */
  async received(eventId: string, withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      if (this.notices().some((notice) => notice['id'] === eventId)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([
        new Promise<false>((wake) => {
          this.waiters.push(() => wake(false));
          timer = setTimeout(() => wake(false), left);
        }),
        this.ended.then(() => true),
      ]);
      clearTimeout(timer);
      if (ended) return this.notices().some((notice) => notice['id'] === eventId);
    }
  }

  close(): void {
    this.abort.abort();
  }
}

describe('gateway live push', () => {
  let gateway: ServiceProcess;
  let kafka: Kafka;
  let producer: Producer;
  const readers: LiveReader[] = [];

  const open = async (headers: Record<string, string>) => {
    const reader = await LiveReader.open(gateway, headers);
    readers.push(reader);
    return reader;
  };

  /** Publishes a job event as dispatch would (a CloudEvent in binary mode), keyed by its subject. */
  const publish = async (subject: string, jurisdiction: string | undefined) => {
    const event = createEvent({
      source: '/linli/dispatch',
      type: 'linli.dispatch.job.accepted.v1',
      subject,
      ...(jurisdiction ? { jurisdiction } : {}),
      data: { jobId: subject, providerId: 'P1', secret: 'never-on-the-wire' },
    });
    await producer.send({ topic: kafkaTopic(jobTopic.name), messages: [toKafkaRecord(event)] });
    return event;
  };

  /**
   * The consumer starts at the latest offset once it has its partitions: until then an event may fall before its
   * start. Publishes fresh events until one arrives.
   */
  const untilLive = (reader: LiveReader) =>
    eventually('the live consumer to be reading', async () => {
      const probe = await publish(`probe-${randomUUID()}`, `${DISTRICT}001001`);
      return (await reader.received(probe.id, 1_000)) ? true : undefined;
    });

  beforeAll(async () => {
    kafka = new Kafka({
      clientId: 'live-int-spec',
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    [gateway] = await Promise.all([
      startGateway({
        LIVE_MAX_STREAMS_PER_USER: String(MAX_STREAMS_PER_USER),
        LIVE_HEARTBEAT_MS: String(HEARTBEAT_MS),
      }),
      producer.connect(),
    ]);
  });

  afterAll(async () => {
    for (const reader of readers) reader.close();
    await gateway?.stop();
    await producer?.disconnect();
  });

  it("sends a notice of an event within the user's jurisdiction (ids only, no data), none of another", async () => {
    const live = await open(bearer(tokenFor('operator', DISTRICT, { sub: 'op-live' })));
    expect(live.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(live.response.headers.get('cache-control')).toBe('no-cache, no-transform');
    // fetch asks for gzip and br: the stream is never compressed (and so never buffered).
    expect(live.response.headers.get('content-encoding')).toBeNull();
    expect(live.response.headers.get('x-correlation-id')).toBeTruthy();
    await untilLive(live);
    expect(live.text.startsWith('retry: ')).toBe(true);

    // One aggregate, so one partition: in this order, and the last one arriving means the others were read before.
    const job = `J-${randomUUID()}`;
    const elsewhere = await publish(job, '320105001001');
    const nowhere = await publish(job, undefined);
    const inside = await publish(job, `${DISTRICT}002003`);

    expect(await live.received(inside.id, 15_000)).toBe(true);
    const notice = live.notices().find((n) => n['id'] === inside.id);
    expect(notice).toEqual({
      id: inside.id,
      topic: jobTopic.name,
      type: 'linli.dispatch.job.accepted.v1',
      subject: job,
      jurisdiction: `${DISTRICT}002003`,
      time: inside.time,
    });
    expect(live.text).toContain(`id: ${inside.id}\n`);
    expect(live.notices().some((n) => n['id'] === nowhere.id)).toBe(true);
    expect(live.notices().some((n) => n['id'] === elsewhere.id)).toBe(false);
    expect(live.text).not.toContain('never-on-the-wire');

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(Number(/^linli_gateway_live_notices_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(/^linli_gateway_live_streams (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('refuses a stream without a token, and one of a signed-out session, with 401', async () => {
    const session = await signedIn(gateway, 'admin', BOOTSTRAP_ADMIN_PASSWORD);
    expect((await call(gateway, 'POST', '/auth/logout', session.headers)).status).toBe(204);

    const anonymous = await call(gateway, 'GET', '/live');
    const signedOut = await call(gateway, 'GET', '/live', session.headers);

    for (const answer of [anonymous, signedOut]) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers HEAD with the headers alone, holding no stream open (the cap is never reached)', async () => {
    const headers = bearer(tokenFor('operator', DISTRICT, { sub: 'op-head' }));
    const statuses: number[] = [];
    for (let i = 0; i <= MAX_STREAMS_PER_USER; i++) {
      const head = await fetch(`${gateway.url}/live`, { method: 'HEAD', headers });
      expect(head.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      statuses.push(head.status);
    }

    expect(statuses).toEqual(Array(MAX_STREAMS_PER_USER + 1).fill(200));
  });

  it('ends an open stream when its session is signed out', async () => {
    const session = await signedIn(gateway, 'admin', BOOTSTRAP_ADMIN_PASSWORD);
    const live = await open(session.headers);

    expect((await call(gateway, 'POST', '/auth/logout', session.headers)).status).toBe(204);

    await live.ended;
  });

  it('ends an open stream when its token expires', async () => {
    const shortLived = signToken(
      { sub: 'op-expiring', roles: ['operator'], jurisdiction: DISTRICT },
      DEV_TOKEN_SETTINGS,
      2,
    );
    const live = await open(bearer(shortLived));

    await live.ended;
  });

  it("refuses a user's stream past the cap with 429, admits another user's, and a new one once one closes", async () => {
    const mine = bearer(tokenFor('provider', DISTRICT, { sub: 'pr-capped' }));
    const first = await open(mine);
    await open(mine);

    const refused = await call(gateway, 'GET', '/live', mine);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, limit: MAX_STREAMS_PER_USER });
    await open(bearer(tokenFor('provider', DISTRICT, { sub: 'pr-other' })));

    first.close();
    await eventually('a stream admitted again once one closed', async () => {
      const reader = await LiveReader.open(gateway, mine).catch(() => undefined);
      if (reader) readers.push(reader);
      return reader;
    });
  });

  it('serves the allow-listed browser files from node_modules, and 404 for any other', async () => {
    const chart = await fetch(`${gateway.url}/vendor/chart.umd.js`);
    const body = await chart.text();
    const etag = chart.headers.get('etag') as string;
    const again = await fetch(`${gateway.url}/vendor/chart.umd.js`, { headers: { 'if-none-match': etag } });
    const unknown = await call(gateway, 'GET', '/vendor/jquery.js');
    const climbing = await call(gateway, 'GET', '/vendor/..%2Fpackage.json');

    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(chart.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(body).toContain('Chart.js v4.');
    expect(again.status).toBe(304);
    for (const answer of [unknown, climbing]) {
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('ends the open streams at shutdown, exits cleanly, and deletes its consumer group', async () => {
    const live = await open(bearer(tokenFor('operator', DISTRICT, { sub: 'op-last' })));
    const admin = kafka.admin();
    await admin.connect();
    try {
      const prefix = namespaced('linli.gateway-live-');
      const before = (await admin.listGroups()).groups.filter((group) => group.groupId.startsWith(prefix));
      expect(before).toHaveLength(1);

      await gateway.stop(15_000);
      await live.ended;
      expect(gateway.process.signalCode).toBe('SIGTERM');
      const after = (await admin.listGroups()).groups.filter((group) => group.groupId.startsWith(prefix));
      expect(after).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });
});
