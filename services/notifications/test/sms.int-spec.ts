// SMS on the real stack with the default (`record`) adapter, the SMS rate limit, and webhook registration on a
// service that allows no private target (the default). Deliveries are put in the sender's queue as deliveries/ puts
// them there (a queued delivery and its send job record), with the contact they go to, so these tests exercise the
// channel alone.
import { deliveryFailed, deliverySent, deliveryTopic } from '@linli/contracts';
import { freePort } from '@linli/testing';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import {
  ChannelQueue,
  admin,
  call,
  coordinator,
  eventually,
  EventProbe,
  GULOU,
  GULOU_COMMUNITY,
  operator,
  startNotifications,
  unique,
  uniquePhone,
  type Json,
  type ServiceProcess,
} from './support';

const SMS_RATE = 4;

/** The directory's residents and their queued SMS, straight in notifications' database. */
class SmsQueue extends ChannelQueue {
  /** A resident's subscription in the directory, with a phone unless told otherwise. */
  async contact(phone: string | undefined): Promise<string> {
    const contactId = unique('S20261129-');
    const now = new Date();
    await this.db.collection('notificationcontacts').insertOne({
      _id: contactId as never,
      kind: 'resident',
      areas: [GULOU_COMMUNITY],
      areaPrefixes: ['32', '3201', '320106', '320106001', GULOU_COMMUNITY],
      language: 'zh-CN',
      channels: ['sms'],
      ...(phone ? { phone, phoneMasked: `${phone.slice(0, 3)}****${phone.slice(-4)}` } : {}),
      active: true,
      jurisdiction: GULOU_COMMUNITY,
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return contactId;
  }

  /** Queued SMS deliveries to `contactId` and their send jobs, due now. */
  queueSms(contactId: string, count = 1, firstId?: string): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => (i === 0 && firstId ? firstId : unique('d-sms-')));
    return this.queue(
      'sms',
      ids.map((deliveryId) => ({
        _id: deliveryId,
        messageKey: `alert:I20261129-000001-A1:1:${deliveryId}`,
        recipientId: contactId,
        recipientKind: 'resident',
        template: 'alert.issued',
        title: '暴雨红色预警',
        body: '低洼地区立即转移。确认收到：http://localhost:3105/acknowledgements/link?a=x',
        data: { alertId: 'I20261129-000001-A1' },
        cause: { eventType: 'linli.emergency.alert.issued.v1', eventId: unique('e-') },
        jurisdiction: GULOU_COMMUNITY,
      })),
    );
  }
}

describe('SMS and webhook registration', () => {
  let service: ServiceProcess;
  let queue: SmsQueue;
  let events: EventProbe;

  beforeAll(async () => {
    service = await startNotifications({
      SMS_RATE_PER_SECOND: String(SMS_RATE),
      SMS_BACKOFF_MS: '200',
      SCHEDULING_RECONCILE_INTERVAL_MS: '300',
    });
    [queue, events] = await Promise.all([
      SmsQueue.connect(),
      EventProbe.start({ topic: deliveryTopic.name }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([service?.stop(), queue?.close(), events?.stop()]);
  });

  describe('SMS', () => {
    it('the default adapter records the message; the record shows the phone masked', async () => {
      const phone = uniquePhone();
      const contactId = await queue.contact(phone);
      const [deliveryId] = await queue.queueSms(contactId);

      const [sent] = await events.waitFor((e) => e.subject === deliveryId && e.type === deliverySent.type);
      expect(sent.data).toMatchObject({ deliveryId, channel: 'sms', recipientId: contactId, attempt: 1 });
      expect(await queue.delivery(deliveryId)).toMatchObject({ status: 'sent', attempts: 1 });

      const recorded = await call(service, 'GET', `/sms/recorded?deliveryId=${deliveryId}`, admin());
      expect(recorded.status).toBe(200);
      expect(recorded.body.items).toEqual([
        {
          deliveryId,
          contactId,
          to: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
          text: expect.stringContaining('暴雨红色预警'),
          recordedAt: expect.any(String),
        },
      ]);
      expect(JSON.stringify(recorded.body)).not.toContain(phone);
      const byContact = await call(service, 'GET', `/sms/recorded?contactId=${contactId}`, admin());
      expect(byContact.body.items.map((item: Json) => item.deliveryId)).toEqual([deliveryId]);
    });

    it('a contact without a phone fails at once with no-channel', async () => {
      const contactId = await queue.contact(undefined);
      const [deliveryId] = await queue.queueSms(contactId);

      const [failed] = await events.waitFor(
        (e) => e.subject === deliveryId && e.type === deliveryFailed.type,
      );
      expect(failed.data).toMatchObject({ reason: 'no-channel', final: true, attempt: 1 });
      expect(await queue.delivery(deliveryId)).toMatchObject({
        status: 'failed',
        failedAt: expect.any(Date),
      });
    });

    it('recorded SMS are for admins only, and need a delivery or a contact', async () => {
      expect((await call(service, 'GET', '/sms/recorded?deliveryId=d-1', coordinator())).status).toBe(403);
      const bare = await call(service, 'GET', '/sms/recorded', admin());
      expect(bare.status).toBe(400);
      expect(bare.body.errors).toEqual([expect.objectContaining({ field: 'deliveryId' })]);
    });

    it('the rate limit holds the send rate: a burst is sent over several seconds, none dropped', async () => {
      const contactId = await queue.contact(uniquePhone());
      const count = 3 * SMS_RATE;
      const ids = await queue.queueSms(contactId, count);

      const sent = await eventually(
        'every SMS of the burst sent',
        async () => {
          const deliveries = await queue.deliveries(ids);
          return deliveries.every((d) => d.status === 'sent') ? deliveries : undefined;
        },
        { timeoutMs: 60_000 },
      );
      const times = sent.map((d) => (d.sentAt as Date).getTime()).sort((a, b) => a - b);
      // count messages at SMS_RATE per second take at least two full windows beyond the first.
      expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(1_500);
      // No second holds more than two windows' worth (fixed windows can meet at a boundary).
      for (const start of times) {
        expect(times.filter((t) => t >= start && t < start + 1_000).length).toBeLessThanOrEqual(2 * SMS_RATE);
      }
      expect(sent.every((d) => d.attempts === 1)).toBe(true);
    });
  });

  describe('webhook registration (no private target allowed)', () => {
    it.each([
      ['http://127.0.0.1:8080/hook', '127.0.0.1'],
      ['http://10.0.0.1/hook', '10.0.0.1'],
      ['http://127.1/hook', '127.0.0.1'],
      ['http://[::1]/hook', '::1'],
      ['http://[::ffff:127.0.0.1]/hook', '::ffff:7f00:1'],
      ['http://169.254.169.254/latest/meta-data', '169.254.169.254'],
      ['http://localhost:3106/hook', ''],
    ])('%s is refused with 400 naming url', async (url, address) => {
      const reply = await call(service, 'POST', '/webhooks', coordinator(), { url });
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toContain('application/problem+json');
      expect(reply.body.errors).toEqual([
        {
          field: 'url',
          message: expect.stringMatching(
            new RegExp(`^refused: private or loopback address ${address.replace(/[.[\]]/g, '\\$&')}`),
          ),
        },
      ]);
      expect(reply.body.errors[0].message).toContain('WEBHOOK_ALLOWED_PRIVATE_TARGETS');
    });

    it.each([
      ['ftp://hooks.example.com/x', 'scheme ftp'],
      ['https://user:pw@hooks.example.com/x', 'user name or password'],
      ['not a url', 'is not a URL'],
    ])('%s is invalid (400, url)', async (url, message) => {
      const reply = await call(service, 'POST', '/webhooks', coordinator(), { url });
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([{ field: 'url', message: expect.stringContaining(message) }]);
    });

    it('unknown fields, areas outside the jurisdiction and roles other than admin and coordinator are refused', async () => {
      const url = 'http://10.0.0.1/x';
      const unknown = await call(service, 'POST', '/webhooks', coordinator(), { url, secret: 'mine' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'secret' })]);
      const outside = await call(service, 'POST', '/webhooks', coordinator(GULOU), {
        url,
        areas: ['320102'],
      });
      expect(outside.status).toBe(400);
      expect(outside.body.errors).toEqual([expect.objectContaining({ field: 'areas[0]' })]);
      const byOperator = await call(service, 'POST', '/webhooks', operator(), { url });
      expect(byOperator.status).toBe(403);
    });
  });
});

describe('SMS through the http adapter', () => {
  let service: ServiceProcess;
  let queue: SmsQueue;
  let gateway: Server;
  const received: { headers: IncomingHttpHeaders; body: Json }[] = [];
  /** How many times the gateway stand-in answers 503 before it takes a message. */
  const busyFor = new Map<string, number>();

  beforeAll(async () => {
    const port = await freePort();
    gateway = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as Json;
        received.push({ headers: req.headers, body });
        const busy = busyFor.get(body.reference) ?? 0;
        if (busy > 0) {
          busyFor.set(body.reference, busy - 1);
          res.statusCode = 503;
          return res.end();
        }
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ messageId: `gw-${body.reference}` }));
      });
    });
    await new Promise<void>((resolve) => gateway.listen(port, '127.0.0.1', resolve));
    service = await startNotifications({
      SMS_ADAPTER: 'http',
      SMS_GATEWAY_URL: `http://127.0.0.1:${port}/send`,
      SMS_GATEWAY_TOKEN: 'gateway-token-1',
      SMS_BACKOFF_MS: '200',
      SMS_ATTEMPTS: '3',
      SCHEDULING_RECONCILE_INTERVAL_MS: '300',
    });
    queue = await SmsQueue.connect();
  });

  afterAll(async () => {
    await Promise.all([service?.stop(), queue?.close()]);
    await new Promise((resolve) => gateway?.close(resolve));
  });

  it('posts {to, text, reference} with the bearer token; a busy gateway is tried again until it takes it', async () => {
    const phone = uniquePhone();
    const contactId = await queue.contact(phone);
    const deliveryId = unique('d-sms-');
    busyFor.set(deliveryId, 1);
    await queue.queueSms(contactId, 1, deliveryId);

    const sent = await eventually('the SMS taken by the gateway', async () => {
      const delivery = await queue.delivery(deliveryId);
      return delivery?.status === 'sent' ? delivery : undefined;
    });
    expect(sent.attempts).toBe(2);
    const calls = received.filter((r) => r.body.reference === deliveryId);
    expect(calls).toHaveLength(2);
    expect(calls[1].headers.authorization).toBe('Bearer gateway-token-1');
    expect(calls[1].body).toEqual({
      to: phone,
      text: expect.stringContaining('暴雨红色预警'),
      reference: deliveryId,
    });
  });
});
