// What notifications' integration tests share: the service as a process (fast consumers, short timers), requests
// as its users (coordinators, admins, providers, operators), contacts put in its directory, and the other services'
// events as they would publish them (emergency's alerts, dispatch's offers, resident-requests' call-backs…), and
// names unique to each test.
import { call, postOversized, type Json, type Response } from '@linli/testing';
export { call, postOversized, type Json, type Response };
import {
  alertEscalated,
  alertIssued,
  alertResendRequested,
  alertTopic,
  createEvent,
  jobOffered,
  jobTopic,
  toKafkaRecord,
  type CloudEvent,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, eventually, EventProbe, startService, type ServiceProcess } from '@linli/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import { randomBytes, randomUUID } from 'node:crypto';

export { eventually, EventProbe };
export type { ServiceProcess };

export const GULOU = '320106';
/** 宁海路街道 (Ninghai Road street), Gulou, and two of its communities. */
export const GULOU_STREET = '320106001';
export const GULOU_COMMUNITY = '320106001003';
export const GULOU_COMMUNITY_2 = '320106001004';
/** 华侨路街道, another street of Gulou. */
export const GULOU_OTHER_STREET = '320106002';
export const GULOU_OTHER_COMMUNITY = '320106002002';
/** Xuanwu: another district. */
export const XUANWU = '320102';
export const XUANWU_COMMUNITY = '320102002001';

/** Fast group membership, so a restarted instance gets its partitions back in seconds. */
const FAST_CONSUMER_ENV = { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' };

/** notifications as its own process on the real stack; `env` overrides settings (short backoffs, allowed targets). */
export function startNotifications(env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startService({
    name: 'notifications',
    env: { ...FAST_CONSUMER_ENV, SSE_HEARTBEAT_MS: '1000', ...env },
    readyTimeoutMs: 90_000,
  });
}

export function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

let phones = Math.floor(Math.random() * 1_000_000);
/** A fresh mainland mobile number. */
export function uniquePhone(): string {
  phones = (phones + 1) % 100_000_000;
  return `138${String(phones).padStart(8, '0')}`;
}

export const admin = () => authHeader('admin', '32', { sub: 'admin-1' });
export const coordinator = (jurisdiction = GULOU, sub = 'coord-1') =>
  authHeader('coordinator', jurisdiction, { sub });
export const supervisor = (jurisdiction = GULOU, sub = 'sup-1') =>
  authHeader('supervisor', jurisdiction, { sub });
export const operator = (jurisdiction = GULOU, sub = 'op-1') => authHeader('operator', jurisdiction, { sub });
/** A provider user: the provider id in dispatch is its recipient id. */
export const providerUser = (providerId: string, jurisdiction = GULOU) =>
  authHeader('provider', jurisdiction, { sub: `user-${providerId}`, providerId });

/** Puts a contact in the directory (as a coordinator of Gulou unless told); resolves with the reply. */
export function putContact(
  service: ServiceProcess,
  contactId: string,
  body: Json,
  headers: Record<string, string> = admin(),
): Promise<Response> {
  return call(service, 'PUT', `/contacts/${contactId}`, headers, { language: 'zh-CN', ...body });
}

/**
 * The other services' events, produced onto their topics as they would publish them (keyed by the aggregate id),
 * with builders for the ones notifications acts on. `send` sends events again as they were (a redelivery).
 */
export class OtherServices {
  private constructor(private readonly producer: Producer) {}

  static async start(): Promise<OtherServices> {
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'notifications-test-producers',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    return new OtherServices(producer);
  }

  /** Sends events onto a topic (by its registry name, e.g. alertTopic.name). */
  async send(topic: string, events: CloudEvent[]): Promise<void> {
    await this.producer.send({ topic: namespaced(topic), messages: events.map(toKafkaRecord) });
  }

  /** An alert.issued of emergency (the Alert message unless told), to the given audiences and areas. */
  async alertIssued(alertId: string, data: Partial<Json> & { areas: string[] }): Promise<CloudEvent> {
    const sequence = (data.sequence as number | undefined) ?? 1;
    const event = emergencyEvent(alertIssued.type, alertId, {
      alertId,
      version: sequence,
      jurisdiction: GULOU,
      incidentId: alertId.split('-A')[0] ?? alertId,
      sequence,
      messageType: 'alert',
      audiences: ['providers', 'community-workers', 'residents'],
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'observed',
      response: 'evacuate',
      language: 'zh-CN',
      headline: '暴雨红色预警：低洼地区立即转移',
      instruction: '请立即撤离至安置点',
      acknowledgeBy: new Date(Date.now() + 600_000).toISOString(),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      ...data,
    });
    await this.send(alertTopic.name, [event]);
    return event;
  }

  async alertResendRequested(
    alertId: string,
    recipientIds: string[],
    sequence = 1,
    batch = 1,
  ): Promise<CloudEvent> {
    const event = emergencyEvent(alertResendRequested.type, alertId, {
      alertId,
      version: sequence + 1,
      jurisdiction: GULOU,
      incidentId: alertId.split('-A')[0] ?? alertId,
      sequence,
      batch,
      recipientIds,
    });
    await this.send(alertTopic.name, [event]);
    return event;
  }

  async alertEscalated(alertId: string, unacknowledgedCount: number, sequence = 1, jurisdiction = GULOU) {
    const event = emergencyEvent(alertEscalated.type, alertId, {
      alertId,
      version: sequence + 2,
      jurisdiction,
      incidentId: alertId.split('-A')[0] ?? alertId,
      sequence,
      reason: 'unacknowledged',
      unacknowledgedCount,
      needsHelpCount: 0,
    });
    await this.send(alertTopic.name, [event]);
    return event;
  }

  /** dispatch's job.offered to a provider. */
  async jobOffered(jobId: string, providerId: string, jurisdiction = GULOU_COMMUNITY): Promise<CloudEvent> {
    const event = createEvent({
      id: randomUUID(),
      source: '/linli/dispatch',
      type: jobOffered.type,
      subject: jobId,
      jurisdiction,
      data: {
        jobId,
        version: 2,
        jurisdiction,
        offerId: `${jobId}-O1`,
        providerId,
        providerKind: 'volunteer',
        round: 1,
        expiresAt: new Date(Date.now() + 900_000).toISOString(),
      },
    });
    await this.send(jobTopic.name, [event]);
    return event;
  }

  /** Any event of another service, built as it would build it. */
  event(source: string, type: string, subject: string, jurisdiction: string, data: Json): CloudEvent {
    return createEvent({ id: randomUUID(), source: `/linli/${source}`, type, subject, jurisdiction, data });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

function emergencyEvent(type: string, alertId: string, data: Json): CloudEvent {
  return createEvent({
    id: randomUUID(),
    source: '/linli/emergency',
    type,
    subject: alertId,
    jurisdiction: data.jurisdiction as string,
    data,
  });
}

/** A unique alert id as emergency issues them (`I<yyyymmdd>-<6 digits>-A<n>`). */
export function alertId(): string {
  return `I20261129-${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}-A1`;
}

/**
 * notifications' database seen from a test: deliveries queued for a channel with their send jobs (the scheduled-work
 * records the channel's sender claims, due now), as the broadcast and the event routes write them, so a channel is
 * tested on its own; and the deliveries read back.
 */
export class ChannelQueue {
  constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {}

  static async connect<T extends ChannelQueue>(this: new (client: MongoClient, db: Db) => T): Promise<T> {
    const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    await client.connect();
    return new this(client, client.db(namespaced('linli-notifications', '-')));
  }

  /** Writes queued deliveries (the fields a delivery has beyond these are given) and their send jobs, due now. */
  async queue(
    channel: 'sms' | 'webhook',
    deliveries: ReadonlyArray<{ _id: string } & Record<string, unknown>>,
  ): Promise<string[]> {
    const now = new Date();
    await this.db.collection('notificationdeliveries').insertMany(
      deliveries.map((delivery) => ({
        ...delivery,
        _id: delivery._id as never,
        channel,
        language: 'zh-CN',
        status: 'queued',
        attempts: 0,
        createdAt: now,
        updatedAt: now,
        version: 0,
        outbox: [],
      })),
    );
    const job = channel === 'sms' ? 'sms-send' : 'webhook-send';
    await this.db.collection('scheduled_work').insertMany(
      deliveries.map(({ _id: deliveryId }) => ({
        jobId: `${job}:${deliveryId}`,
        queue: `notifications-${channel}`,
        name: job,
        dueAt: now,
        payload: { deliveryId },
        status: 'pending',
        attempts: 0,
        revision: 0,
        runningSince: null,
        lastError: null,
        doneAt: null,
        createdAt: now,
        updatedAt: now,
      })),
    );
    return deliveries.map(({ _id }) => _id);
  }

  delivery(deliveryId: string): Promise<Json | null> {
    return this.db.collection('notificationdeliveries').findOne({ _id: deliveryId as never });
  }

  deliveries(ids: string[]): Promise<Json[]> {
    return this.db
      .collection('notificationdeliveries')
      .find({ _id: { $in: ids as never[] } })
      .toArray();
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
