// What emergency's integration tests share: the service as a process on the real stack (Kafka, the MongoDB-wire
// server, Redis), requests as its users (coordinators, supervisors, operators, providers, residents), events as other
// services would publish them (notifications' broadcast batches, elder-care's elders, dispatch's jobs), a look into
// its database, and names unique to each test. Each test file runs in a namespace of its own (LINLI_NAMESPACE), so
// its topics, database and Bull keys are its alone.
import { call, eventually, postOversized, type Json, type Response } from '@linli/testing';
export { call, eventually, postOversized, type Json, type Response };
import { createEvent, toKafkaRecord, type CloudEvent } from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, EventProbe, startService, type ServiceProcess } from '@linli/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import { randomBytes, randomUUID } from 'node:crypto';

export { EventProbe };
export type { ServiceProcess, CloudEvent };

/** Gulou district (鼓楼区), Nanjing. */
export const GULOU = '320106';
/** 宁海路街道, Gulou. */
export const GULOU_STREET = '320106001';
/** 仙霞路社区 of 宁海路街道. */
export const GULOU_COMMUNITY = '320106001003';
/** 苏州路社区: another community of the same street. */
export const GULOU_COMMUNITY_2 = '320106001004';
/** 玄武区: another district. */
export const XUANWU = '320102';
export const XUANWU_COMMUNITY = '320102002001';

/**
 * Fast group membership (a restarted instance gets its partitions back in seconds) and no periodic reconcile
 * pass (the tests drive the timers).
 */
export const FAST_ENV: Record<string, string> = {
  CONSUMER_SESSION_TIMEOUT_MS: '6000',
  CONSUMER_HEARTBEAT_INTERVAL_MS: '1000',
  SCHEDULING_RECONCILE_INTERVAL_MS: '0',
};

/** Starts emergency as production does (its own process), with FAST_ENV and the settings given. */
export function startEmergency(env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startService({ name: 'emergency', env: { ...FAST_ENV, ...env }, readyTimeoutMs: 90_000 });
}

export function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export const coordinator = (jurisdiction = GULOU, sub = 'coord-1') =>
  authHeader('coordinator', jurisdiction, { sub });
export const supervisor = (jurisdiction = GULOU, sub = 'sup-1') =>
  authHeader('supervisor', jurisdiction, { sub });
export const operator = (jurisdiction = GULOU, sub = 'op-1') => authHeader('operator', jurisdiction, { sub });
export const admin = () => authHeader('admin', '32', { sub: 'admin-1' });
/** A provider's user: their recipient id is the provider id. */
export const providerUser = (providerId: string, jurisdiction = GULOU) =>
  authHeader('provider', jurisdiction, { sub: `user-${providerId}`, providerId });
/** A POST /incidents body in Gulou. */
export function incidentBody(overrides: Json = {}): Json {
  return {
    kind: 'flood',
    severity: 'severe',
    title: '宁海路积水 / flooding on Ninghai Road',
    description: '暴雨导致道路积水，低洼小区进水 / heavy rain flooded the low-lying estates',
    areas: [GULOU_COMMUNITY],
    ...overrides,
  };
}

/** A POST /incidents/:id/alerts body. */
export function alertBody(overrides: Json = {}): Json {
  return {
    audiences: ['residents', 'providers'],
    headline: '暴雨红色预警 / red rainstorm warning',
    description: '未来三小时降雨量将超过 100 毫米 / over 100 mm of rain in the next three hours',
    instruction: '请勿外出，远离低洼地带 / stay indoors, keep away from low ground',
    urgency: 'immediate',
    severity: 'severe',
    certainty: 'likely',
    response: 'shelter',
    ...overrides,
  };
}

/** Declares an incident (as a coordinator of Gulou unless told) and returns its view; fails the test on non-201. */
export async function declareIncident(
  service: ServiceProcess,
  overrides: Json = {},
  headers: Record<string, string> = coordinator(),
): Promise<Json> {
  const response = await call(service, 'POST', '/incidents', headers, incidentBody(overrides));
  if (response.status !== 201)
    throw new Error(`POST /incidents: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Issues an alert for an incident and returns the alert view; fails the test on non-201. */
export async function issueAlert(
  service: ServiceProcess,
  incidentId: string,
  overrides: Json = {},
  headers: Record<string, string> = coordinator(),
): Promise<Json> {
  const response = await call(
    service,
    'POST',
    `/incidents/${incidentId}/alerts`,
    headers,
    alertBody(overrides),
  );
  if (response.status !== 201) {
    throw new Error(
      `POST /incidents/${incidentId}/alerts: ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
  return response.body;
}

/**
 * Publishes events as another service would (notifications' broadcast.*, elder-care's elder.*, dispatch's job.*):
 * a CloudEvent with a fresh id, keyed by its subject. `send` again with the same events is a redelivery.
 */
export class EventSender {
  private constructor(private readonly producer: Producer) {}

  static async start(clientId = 'emergency-test-sender'): Promise<EventSender> {
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId,
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    return new EventSender(producer);
  }

  /** Builds an event: `source` like '/linli/notifications', `type` the full type (e.g. broadcastRecipientsResolved.type). */
  event(source: string, type: string, subject: string, jurisdiction: string, data: Json): CloudEvent {
    return createEvent({ id: randomUUID(), source, type, subject, jurisdiction, data });
  }

  /** Sends events to a topic (its logical name, e.g. broadcastTopic.name), as they are. */
  async send(topic: string, events: CloudEvent[]): Promise<void> {
    await this.producer.send({ topic: namespaced(topic), messages: events.map(toKafkaRecord) });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** emergency's database of this test file (namespaced as the service names it). */
export class EmergencyDb {
  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {}

  static async connect(): Promise<EmergencyDb> {
    const client = new MongoClient(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    await client.connect();
    return new EmergencyDb(client, client.db(namespaced('linli-emergency', '-')));
  }

  /** Documents in a collection (by collection name, e.g. 'emergencyincidents'), optionally filtered. */
  count(collection: string, filter: Json = {}): Promise<number> {
    return this.db.collection(collection).countDocuments(filter);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
