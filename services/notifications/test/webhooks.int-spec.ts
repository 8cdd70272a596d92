// Webhooks on the real stack: registration, a signed call to a local receiver, retries with growing delays, the
// end of a delivery nobody answers, a 4xx that ends it at once, a target refused at send time. The local receiver
// is on 127.0.0.1, which this service allows (WEBHOOK_ALLOWED_PRIVATE_TARGETS=127.0.0.1/32). Deliveries are put in
// the sender's queue as deliveries/ puts them there (a queued delivery and its send job record), so these tests
// exercise the channel alone.
import { deliveryFailed, deliverySent, deliveryTopic, type CloudEvent } from '@linli/contracts';
import { freePort } from '@linli/testing';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { verifyWebhookSignature } from '../src/channels/webhooks/webhook.rules';
import {
  ChannelQueue,
  admin,
  call,
  coordinator,
  eventually,
  EventProbe,
  GULOU,
  GULOU_COMMUNITY,
  OtherServices,
  putContact,
  startNotifications,
  unique,
  XUANWU,
  type Json,
  type ServiceProcess,
} from './support';

const BACKOFF_MS = 200;
const ATTEMPTS = 4;

/** A local receiver: records every call (arrival time, headers, raw body) and answers with `status()`. */
type Call = { at: number; headers: IncomingHttpHeaders; body: string; path: string };

class Receiver {
  private constructor(
    private readonly server: Server,
    readonly port: number,
    readonly calls: Call[],
  ) {}

  /** `answer` gives the status of the n-th call (1-based) to a path, and how long to hold it before answering. */
  static async start(
    answer: (path: string, n: number) => { status: number; holdMs?: number },
  ): Promise<Receiver> {
    const port = await freePort();
    const calls: Call[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const path = req.url ?? '';
        calls.push({ at: Date.now(), headers: req.headers, body, path });
        const { status, holdMs = 0 } = answer(path, calls.filter((c) => c.path === path).length);
        setTimeout(() => {
          res.statusCode = status;
          res.end('{}');
        }, holdMs).unref();
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return new Receiver(server, port, calls);
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  callsTo(path: string) {
    return this.calls.filter((c) => c.path === path);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The service's database: queued deliveries and their send jobs, as deliveries/ writes them. */
/** Queued webhook deliveries, straight in notifications' database. */
class WebhookQueue extends ChannelQueue {
  /** A queued webhook delivery to `webhookId` and its send job, due now. Returns the delivery id. */
  async queueWebhook(webhookId: string): Promise<string> {
    const [deliveryId] = await this.queue('webhook', [
      {
        _id: unique('d-test-'),
        messageKey: `job-offered:${unique('J')}`,
        recipientId: webhookId,
        recipientKind: 'community-worker',
        webhookId,
        template: 'job-offered',
        title: '新的服务邀请',
        body: '有一项新的上门服务等待您接受',
        data: { jobId: 'J-1', offerId: 'J-1-O1' },
        cause: { eventType: 'linli.dispatch.job.offered.v1', eventId: unique('e-') },
        jurisdiction: GULOU_COMMUNITY,
      },
    ]);
    return deliveryId as string;
  }
}

describe('webhooks', () => {
  let service: ServiceProcess;
  let receiver: Receiver;
  let queue: WebhookQueue;
  let events: EventProbe;

  beforeAll(async () => {
    receiver = await Receiver.start((path, n) => {
      if (path.startsWith('/down')) return { status: 503 };
      if (path.startsWith('/gone')) return { status: 410 };
      // Busy once, then slow to take the second try: the delivery is seen between its tries.
      if (path.startsWith('/flaky')) return n === 1 ? { status: 503 } : { status: 200, holdMs: 2_500 };
      return { status: 204 };
    });
    service = await startNotifications({
      WEBHOOK_ALLOWED_PRIVATE_TARGETS: '127.0.0.1/32',
      WEBHOOK_BACKOFF_MS: String(BACKOFF_MS),
      WEBHOOK_ATTEMPTS: String(ATTEMPTS),
      WEBHOOK_TIMEOUT_MS: '5000',
      // Send jobs written straight into the database are picked up by reconciliation.
      SCHEDULING_RECONCILE_INTERVAL_MS: '300',
    });
    // After the service: it creates its topics.
    [queue, events] = await Promise.all([
      WebhookQueue.connect(),
      EventProbe.start({ topic: deliveryTopic.name }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([service?.stop(), receiver?.stop(), queue?.close(), events?.stop()]);
  });

  async function register(url: string, headers = coordinator()): Promise<Json> {
    const reply = await call(service, 'POST', '/webhooks', headers, { url, description: '鼓楼区应急平台' });
    expect(reply.status).toBe(201);
    return reply.body;
  }

  const eventsOf = (deliveryId: string, type: string): CloudEvent[] =>
    events.events.filter((event) => event.subject === deliveryId && event.type === type);

  it('a registered webhook receives the delivery, signed with the secret shown once', async () => {
    const webhook = await register(receiver.url('/ok'));
    expect(webhook).toMatchObject({
      url: receiver.url('/ok'),
      status: 'healthy',
      active: true,
      jurisdiction: GULOU,
    });
    expect(webhook.secret).toMatch(/^whsec_/);

    const deliveryId = await queue.queueWebhook(webhook.webhookId);
    const received = await eventually('the call', async () =>
      receiver.calls.find((c) => c.body.includes(deliveryId)),
    );
    expect(received.headers['x-linli-delivery']).toBe(deliveryId);
    expect(Math.abs(Number(received.headers['x-linli-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(
      verifyWebhookSignature(
        webhook.secret,
        received.headers['x-linli-timestamp'] as string,
        received.body,
        received.headers['x-linli-signature'] as string,
      ),
    ).toBe(true);
    expect(JSON.parse(received.body)).toEqual({
      deliveryId,
      template: 'job-offered',
      title: '新的服务邀请',
      body: '有一项新的上门服务等待您接受',
      data: { jobId: 'J-1', offerId: 'J-1-O1' },
      createdAt: expect.any(String),
    });

    const [sent] = await events.waitFor((e) => e.subject === deliveryId && e.type === deliverySent.type);
    expect(sent.data).toMatchObject({
      deliveryId,
      channel: 'webhook',
      attempt: 1,
      recipientId: webhook.webhookId,
    });
    expect(await queue.delivery(deliveryId)).toMatchObject({ status: 'sent', attempts: 1 });

    const read = await call(service, 'GET', `/webhooks/${webhook.webhookId}`, coordinator());
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'healthy',
      consecutiveFailures: 0,
      lastSuccessAt: expect.any(String),
    });
    expect(read.body.secret).toBeUndefined();
  });

  it('a target answering 503 is tried again with growing delays, then the delivery fails for good', async () => {
    const webhook = await register(receiver.url('/down'));
    const deliveryId = await queue.queueWebhook(webhook.webhookId);

    await eventually('the last try', async () =>
      (await queue.delivery(deliveryId))?.status === 'failed' ? true : undefined,
    );
    const tries = receiver.callsTo('/down').filter((c) => c.body.includes(deliveryId));
    expect(tries).toHaveLength(ATTEMPTS);
    const gaps = tries.slice(1).map((c, i) => c.at - tries[i].at);
    // Bull's exponential backoff: 1×, 3×, 7× the backoff; each wait at least its share, each longer than the last.
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual((Math.pow(2, i + 1) - 1) * BACKOFF_MS - 50));
    expect(gaps[2]).toBeGreaterThan(gaps[0]);

    const failures = await events.waitFor((e) => e.subject === deliveryId && e.type === deliveryFailed.type, {
      count: ATTEMPTS,
    });
    expect(failures.map((e) => e.data as Json).map((d) => [d.attempt, d.final, d.reason])).toEqual([
      [1, false, 'unreachable'],
      [2, false, 'unreachable'],
      [3, false, 'unreachable'],
      [4, true, 'unreachable'],
    ]);
    expect(await queue.delivery(deliveryId)).toMatchObject({ attempts: ATTEMPTS, lastError: 'HTTP 503' });

    const failed = await call(
      service,
      'GET',
      `/webhooks/${webhook.webhookId}/deliveries?status=failed`,
      coordinator(),
    );
    expect(failed.status).toBe(200);
    expect(failed.body.items).toEqual([
      expect.objectContaining({ deliveryId, status: 'failed', attempts: ATTEMPTS, lastError: 'HTTP 503' }),
    ]);
    const health = await call(service, 'GET', `/webhooks/${webhook.webhookId}`, coordinator());
    expect(health.body).toMatchObject({
      status: 'failing',
      consecutiveFailures: ATTEMPTS,
      lastError: 'HTTP 503',
    });
  });

  it('a target that is down (closed port) ends failed with its attempts and the connection error visible', async () => {
    const closedPort = await freePort();
    const webhook = await register(`http://127.0.0.1:${closedPort}/hook`);
    const deliveryId = await queue.queueWebhook(webhook.webhookId);

    await eventually('the last try', async () =>
      (await queue.delivery(deliveryId))?.status === 'failed' ? true : undefined,
    );
    const page = await call(
      service,
      'GET',
      `/webhooks/${webhook.webhookId}/deliveries?status=failed`,
      coordinator(),
    );
    expect(page.body.items).toEqual([
      expect.objectContaining({
        deliveryId,
        attempts: ATTEMPTS,
        lastError: 'ECONNREFUSED',
        failedAt: expect.any(String),
      }),
    ]);
    const final = await events.waitFor(
      (e) => e.subject === deliveryId && e.type === deliveryFailed.type && (e.data as Json).final === true,
    );
    expect(final[0].data).toMatchObject({ attempt: ATTEMPTS, reason: 'unreachable' });
  });

  it('between tries the delivery shows its attempts, last error and next try; a later try that is taken ends it sent', async () => {
    const webhook = await register(receiver.url('/flaky'));
    const deliveryId = await queue.queueWebhook(webhook.webhookId);

    await eventually('the second try under way', async () =>
      receiver.callsTo('/flaky').length >= 2 ? true : undefined,
    );
    const between = await queue.delivery(deliveryId);
    expect(between).toMatchObject({ status: 'queued', attempts: 1, lastError: 'HTTP 503' });
    expect(between?.nextAttemptAt).toBeInstanceOf(Date);
    const [failed] = await events.waitFor((e) => e.subject === deliveryId && e.type === deliveryFailed.type);
    expect(failed.data).toMatchObject({ attempt: 1, final: false, reason: 'unreachable' });

    const [sent] = await events.waitFor((e) => e.subject === deliveryId && e.type === deliverySent.type);
    expect(sent.data).toMatchObject({ attempt: 2 });
    expect(await queue.delivery(deliveryId)).toMatchObject({
      status: 'sent',
      attempts: 2,
      nextAttemptAt: null,
    });
  });

  it('a 4xx answer ends the delivery at once: one call, no retry', async () => {
    const webhook = await register(receiver.url('/gone'));
    const deliveryId = await queue.queueWebhook(webhook.webhookId);

    const [failed] = await events.waitFor((e) => e.subject === deliveryId && e.type === deliveryFailed.type);
    expect(failed.data).toMatchObject({ attempt: 1, final: true, reason: 'rejected' });
    expect(await queue.delivery(deliveryId)).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'HTTP 410',
    });
    // Longer than the first retry would have waited: still one call.
    await new Promise((resolve) => setTimeout(resolve, 2 * BACKOFF_MS));
    expect(receiver.callsTo('/gone').filter((c) => c.body.includes(deliveryId))).toHaveLength(1);
  });

  it('a target that became private since registration is refused at send: status refused, no call, no retry', async () => {
    // As if its host name now resolved to a private address: the stored URL is one the check refuses.
    const webhookId = unique('wh-test-');
    const now = new Date();
    await queue.db.collection('notificationwebhooks').insertOne({
      _id: webhookId as never,
      url: 'http://10.0.0.1/hook',
      areas: [],
      jurisdiction: GULOU,
      secret: 'whsec_test',
      active: true,
      status: 'healthy',
      consecutiveFailures: 0,
      createdBy: 'coord-1',
      createdAt: now,
      updatedAt: now,
    });
    const deliveryId = await queue.queueWebhook(webhookId);

    const [refused] = await events.waitFor((e) => e.subject === deliveryId && e.type === deliveryFailed.type);
    expect(refused.data).toMatchObject({ attempt: 1, final: true, reason: 'refused-target' });
    const delivery = await queue.delivery(deliveryId);
    expect(delivery).toMatchObject({ status: 'refused', attempts: 1 });
    expect(delivery?.lastError).toContain('refused: private or loopback address 10.0.0.1');
    expect(eventsOf(deliveryId, deliveryFailed.type)).toHaveLength(1);
  });

  it('a removed webhook gets nothing more: its queued delivery fails with no-channel', async () => {
    const webhook = await register(receiver.url('/ok-removed'));
    expect((await call(service, 'DELETE', `/webhooks/${webhook.webhookId}`, coordinator())).status).toBe(204);
    const deliveryId = await queue.queueWebhook(webhook.webhookId);

    const [failed] = await events.waitFor((e) => e.subject === deliveryId && e.type === deliveryFailed.type);
    expect(failed.data).toMatchObject({ final: true, reason: 'no-channel' });
    expect(receiver.callsTo('/ok-removed')).toHaveLength(0);
    expect((await call(service, 'GET', `/webhooks/${webhook.webhookId}`, coordinator())).body.active).toBe(
      false,
    );
  });

  it("a provider whose channel is its webhook gets dispatch's offer there: through deliveries/ to the sender", async () => {
    const webhook = await register(receiver.url('/provider'));
    const providerId = unique('P-');
    const put = await putContact(service, providerId, {
      kind: 'provider',
      areas: [GULOU_COMMUNITY],
      channels: ['webhook'],
      webhookId: webhook.webhookId,
    });
    expect([200, 201]).toContain(put.status);
    const others = await OtherServices.start();
    try {
      await others.jobOffered(unique('J-'), providerId);
    } finally {
      await others.stop();
    }
    const received = await eventually(
      'the offer at the webhook',
      async () => receiver.callsTo('/provider')[0],
    );
    const body = JSON.parse(received.body) as Json;
    expect(body.template).toBe('job-offered');
    expect(
      verifyWebhookSignature(
        webhook.secret,
        received.headers['x-linli-timestamp'] as string,
        received.body,
        received.headers['x-linli-signature'] as string,
      ),
    ).toBe(true);
    await events.waitFor((e) => e.subject === body.deliveryId && e.type === deliverySent.type);
  });

  it('webhooks are read only inside their jurisdiction, by admins and coordinators', async () => {
    const webhook = await register(receiver.url('/ok'));
    expect((await call(service, 'GET', `/webhooks/${webhook.webhookId}`, coordinator(XUANWU))).status).toBe(
      404,
    );
    expect((await call(service, 'GET', `/webhooks/${webhook.webhookId}`, admin())).status).toBe(200);
    expect(
      (await call(service, 'DELETE', `/webhooks/${webhook.webhookId}`, coordinator(XUANWU))).status,
    ).toBe(404);
    expect((await call(service, 'GET', '/webhooks/wh-nope', coordinator())).status).toBe(404);
  });
});
