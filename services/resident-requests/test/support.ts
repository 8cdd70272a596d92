// What the resident-requests integration tests share: the service as a process, requests as a user, and dispatch's
// job events (elder-care's findings, mediation's cases) published as those services would (they do not run here).
import { call, type Json, type Response } from '@linli/testing';
export { call, type Json, type Response };
import {
  caseTopic,
  createEvent,
  jobAccepted,
  jobCancelled,
  jobCompleted,
  jobEscalated,
  jobStarted,
  jobTopic,
  toKafkaRecord,
  visitFindingReported,
  visitTopic,
  type EventDefinition,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, eventually, startService, type ServiceProcess } from '@linli/testing';

export { eventually };
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';

export const GULOU = '320106';
/** 仙霞路社区 of 宁海路街道, Gulou. */
export const XIANXIA_ROAD = '320106001003';
/** 梅园新村社区 in Xuanwu: another district. */
export const MEIYUAN = '320102002001';

/** Fast group membership, so the consumer joins in seconds. */
const FAST_CONSUMER_ENV = { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' };

export function startRequests(env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startService({
    name: 'resident-requests',
    env: { ...FAST_CONSUMER_ENV, ...env },
    readyTimeoutMs: 90_000,
  });
}

export const operator = (jurisdiction = GULOU, sub = 'op-1') => authHeader('operator', jurisdiction, { sub });
export const supervisor = (jurisdiction = GULOU) => authHeader('supervisor', jurisdiction, { sub: 'sup-1' });
export const providerUser = (providerId: string) =>
  authHeader('provider', GULOU, { sub: `user-${providerId}`, providerId });

export function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** A mobile number no other test uses (the duplicate rule keys on it). */
export function uniquePhone(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

export function hotlineTicket(overrides: Json = {}): Json {
  return {
    channel: 'hotline',
    category: 'repair',
    description: '厨房水龙头漏水，需要上门维修',
    reporter: { name: '王秀英', phone: uniquePhone() },
    place: { communityCode: XIANXIA_ROAD, address: '仙霞路 12 号 3 单元 502 室' },
    ...overrides,
  };
}

export async function ticketWhen(
  service: ServiceProcess,
  ticketId: string,
  predicate: (ticket: Json) => boolean,
  what: string,
): Promise<Json> {
  return eventually(`ticket ${ticketId} ${what}`, async () => {
    const reply = await call(service, 'GET', `/tickets/${ticketId}`, operator());
    return reply.status === 200 && predicate(reply.body) ? reply.body : undefined;
  });
}

/** Publishes job events onto dispatch's topic as dispatch would. */
export class Dispatch {
  private version = new Map<string, number>();
  private constructor(private readonly producer: Producer) {}

  static async start(): Promise<Dispatch> {
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'resident-requests-test-dispatch',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    return new Dispatch(producer);
  }

  async publish(
    definition: EventDefinition,
    jobId: string,
    data: Json,
    id: string = randomUUID(),
  ): Promise<string> {
    const version = (this.version.get(jobId) ?? 0) + 1;
    this.version.set(jobId, version);
    const event = createEvent({
      id,
      source: '/linli/dispatch',
      type: definition.type,
      subject: jobId,
      data: { jobId, version, jurisdiction: XIANXIA_ROAD, ...data },
    });
    await this.producer.send({ topic: namespaced(jobTopic.name), messages: [toKafkaRecord(event)] });
    return id;
  }

  accepted(jobId: string, providerId: string, id?: string) {
    return this.publish(
      jobAccepted,
      jobId,
      { offerId: `${jobId}-o1`, providerId, providerKind: 'company', actorId: `user-${providerId}` },
      id,
    );
  }

  started(jobId: string, providerId: string) {
    return this.publish(jobStarted, jobId, {
      providerId,
      providerKind: 'company',
      actorId: `user-${providerId}`,
    });
  }

  completed(jobId: string, providerId: string, outcome = 'done') {
    return this.publish(jobCompleted, jobId, {
      providerId,
      providerKind: 'company',
      outcome,
      actorId: `user-${providerId}`,
    });
  }

  escalated(jobId: string) {
    return this.publish(jobEscalated, jobId, { reason: 'no-provider', level: 1 });
  }

  cancelled(jobId: string) {
    return this.publish(jobCancelled, jobId, { reason: 'origin-cancelled' });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Publishes visit findings onto elder-care's visit topic as elder-care would (elder-care does not run here). */
export class ElderCare {
  private constructor(private readonly producer: Producer) {}

  static async start(): Promise<ElderCare> {
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'resident-requests-test-elder-care',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    return new ElderCare(producer);
  }

  /** A visit and one of its findings (ids as elder-care makes them: <visitId>-F<n>). */
  static finding(overrides: Json = {}): Json {
    const visitId = (overrides.visitId as string | undefined) ?? unique('V-E0000042-');
    return {
      visitId,
      version: 4,
      jurisdiction: XIANXIA_ROAD,
      elderId: 'E0000042',
      findingId: `${visitId}-F1`,
      observation: 'concern',
      category: 'repair',
      summary: '卫生间扶手松动，老人起身不便',
      providerId: 'care-1',
      ...overrides,
    };
  }

  async findingReported(data: Json, id: string = randomUUID()): Promise<string> {
    const event = createEvent({
      id,
      source: '/linli/elder-care',
      type: visitFindingReported.type,
      subject: data.visitId as string,
      data,
    });
    await this.producer.send({ topic: namespaced(visitTopic.name), messages: [toKafkaRecord(event)] });
    return id;
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** Publishes case events onto mediation's case topic as mediation would (mediation does not run here). */
export class Mediation {
  private version = new Map<string, number>();
  private constructor(private readonly producer: Producer) {}

  static async start(): Promise<Mediation> {
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'resident-requests-test-mediation',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    return new Mediation(producer);
  }

  /** Publishes one case event (caseId, version and jurisdiction filled in); `id` repeats a delivery. */
  async publish(
    definition: EventDefinition,
    caseId: string,
    data: Json,
    id: string = randomUUID(),
  ): Promise<string> {
    const version = (this.version.get(caseId) ?? 0) + 1;
    this.version.set(caseId, version);
    const event = createEvent({
      id,
      source: '/linli/mediation',
      type: definition.type,
      subject: caseId,
      jurisdiction: XIANXIA_ROAD,
      data: { caseId, version, jurisdiction: XIANXIA_ROAD, ...data },
    });
    await this.producer.send({ topic: namespaced(caseTopic.name), messages: [toKafkaRecord(event)] });
    return id;
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** A mediator (人民调解员): role mediator, acting for its provider id in dispatch. */
export const mediatorUser = (providerId: string) =>
  authHeader('mediator', GULOU, { sub: `user-${providerId}`, providerId });

/** How many events of `type` the service's consumer has handled (or skipped as duplicates), from /metrics. */
export async function consumed(service: ServiceProcess, type: string): Promise<number> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('linli_consumer_events_total{') && line.includes(`type="${type}"`))
    .filter((line) => /outcome="(handled|duplicate)"/.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}
