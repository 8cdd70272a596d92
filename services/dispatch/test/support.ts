// What the dispatch integration tests share: the service as a process, requests as a user, events published as
// the requesting services would, and names unique to each test (skills, ids) so tests never share providers.
import { call, type Json, type Response } from '@linli/testing';
export { call, type Json, type Response };
import {
  createEvent,
  jobCancellationRequested,
  jobProgressReported,
  jobRequested,
  jobTopic,
  toKafkaRecord,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, eventually, startService, type ServiceProcess } from '@linli/testing';

export { eventually };
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';

export const GULOU = '320106';
// 仙霞路社区 of 宁海路街道, Gulou (from the tree; 320106001001 is not a community there).
export const GULOU_COMMUNITY = '320106001003';
export const XUANWU = '320102';

/** Fast group membership, so a killed instance's partitions move in seconds. */
const FAST_CONSUMER_ENV = { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' };

export function startDispatch(env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startService({ name: 'dispatch', env: { ...FAST_CONSUMER_ENV, ...env }, readyTimeoutMs: 90_000 });
}

export function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export const supervisor = (jurisdiction = GULOU) => authHeader('supervisor', jurisdiction, { sub: 'sup-1' });
export const operator = (jurisdiction = GULOU) => authHeader('operator', jurisdiction, { sub: 'op-1' });
export const providerUser = (providerId: string) =>
  authHeader('provider', GULOU, { sub: `user-${providerId}`, providerId });
/** A mediator (人民调解员) is a provider of mediation: role 'mediator', acting for its provider id. */
export const mediatorUser = (providerId: string) =>
  authHeader('mediator', GULOU, { sub: `mediator-${providerId}`, providerId });

export async function createProvider(service: ServiceProcess, body: Record<string, unknown>): Promise<Json> {
  const response = await call(service, 'POST', '/providers', supervisor(), {
    kind: 'company',
    capacity: 3,
    available: true,
    serviceAreas: [GULOU],
    jurisdiction: GULOU,
    ...body,
    name: body.name ?? `provider ${String(body.providerId)}`,
  });
  if (response.status !== 201) throw new Error(`provider not created: ${JSON.stringify(response)}`);
  return response.body;
}

/** Publishes as a domain service would (resident-requests), onto dispatch's job topic. */
export class Requester {
  private constructor(private readonly producer: Producer) {}

  static async start(): Promise<Requester> {
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'dispatch-test-requester',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    return new Requester(producer);
  }

  async requestJob(
    fields: {
      skill: string;
      jobId?: string;
      jurisdiction?: string;
      priority?: string;
      origin?: { service: string; aggregateId: string };
      category?: string;
      excludedProviderIds?: string[];
    },
    eventId: string = randomUUID(),
  ): Promise<string> {
    const jobId = fields.jobId ?? randomUUID();
    const origin = fields.origin ?? { service: 'resident-requests', aggregateId: `T-${jobId.slice(0, 8)}` };
    const event = createEvent({
      id: eventId,
      source: `/linli/${origin.service}`,
      type: jobRequested.type,
      subject: jobId,
      data: {
        jobId,
        jurisdiction: fields.jurisdiction ?? GULOU_COMMUNITY,
        origin,
        category: fields.category ?? 'repair',
        skill: fields.skill,
        priority: fields.priority ?? 'urgent',
        ...(fields.excludedProviderIds ? { excludedProviderIds: fields.excludedProviderIds } : {}),
      },
    });
    await this.producer.send({ topic: namespaced(jobTopic.name), messages: [toKafkaRecord(event)] });
    return jobId;
  }

  async requestCancellation(jobId: string): Promise<void> {
    const event = createEvent({
      source: '/linli/resident-requests',
      type: jobCancellationRequested.type,
      subject: jobId,
      data: {
        jobId,
        jurisdiction: GULOU_COMMUNITY,
        origin: { service: 'resident-requests', aggregateId: `T-${jobId.slice(0, 8)}` },
        reason: 'origin-cancelled',
      },
    });
    await this.producer.send({ topic: namespaced(jobTopic.name), messages: [toKafkaRecord(event)] });
  }

  /** job.progress-reported, as elder-care publishes it when a caregiver checks in or out of a visit. */
  async reportProgress(
    jobId: string,
    report: {
      origin: { service: string; aggregateId: string };
      providerId: string;
      step: 'started' | 'completed';
      outcome?: string;
      at?: string;
    },
    eventId: string = randomUUID(),
  ): Promise<void> {
    const event = createEvent({
      id: eventId,
      source: `/linli/${report.origin.service}`,
      type: jobProgressReported.type,
      subject: jobId,
      data: {
        jobId,
        jurisdiction: GULOU_COMMUNITY,
        origin: report.origin,
        providerId: report.providerId,
        step: report.step,
        ...(report.outcome ? { outcome: report.outcome } : {}),
        at: report.at ?? new Date().toISOString(),
      },
    });
    await this.producer.send({ topic: namespaced(jobTopic.name), messages: [toKafkaRecord(event)] });
  }

  stop(): Promise<void> {
    return this.producer.disconnect();
  }
}
