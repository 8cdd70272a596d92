// What mediation's integration tests share: the service as a process, requests as its users, parties with valid
// identity numbers, resident-requests' ticket events as that service would publish them, and names unique to each
// test. Dispatch's answers come from @linli/testing's FakeDispatch (start it with `startDispatch()`).
import { call, postOversized, type Json, type Response } from '@linli/testing';
export { call, postOversized, type Json, type Response };
import {
  createEvent,
  ticketRouted,
  ticketTopic,
  ticketTriaged,
  toKafkaRecord,
  type CloudEvent,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import {
  authHeader,
  eventually,
  FakeDispatch,
  identityNumberFor,
  startService,
  type ServiceProcess,
} from '@linli/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';

export { eventually, identityNumberFor };
export type { ServiceProcess };

export const GULOU = '320106';
/** 仙霞路社区 of 宁海路街道 (320106001), Gulou. */
export const GULOU_COMMUNITY = '320106001003';
export const GULOU_STREET = '320106001';
/** 梅园新村社区 in Xuanwu: another district. */
export const XUANWU = '320102';
export const XUANWU_COMMUNITY = '320102002001';

/** Fast group membership, so a restarted instance gets its partitions back in seconds. */
const FAST_CONSUMER_ENV = { CONSUMER_SESSION_TIMEOUT_MS: '6000', CONSUMER_HEARTBEAT_INTERVAL_MS: '1000' };

export function startMediation(env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startService({ name: 'mediation', env: { ...FAST_CONSUMER_ENV, ...env }, readyTimeoutMs: 90_000 });
}

/** Dispatch as a fake: reads mediation's job requests, answers for `<caseId>-M<n>` jobs. */
export function startDispatch(): Promise<FakeDispatch> {
  return FakeDispatch.start({ clientId: 'mediation-test-dispatch', jobLetter: 'M' });
}

export function unique(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export const operator = (jurisdiction = GULOU) => authHeader('operator', jurisdiction, { sub: 'op-1' });
export const supervisor = (jurisdiction = GULOU) => authHeader('supervisor', jurisdiction, { sub: 'sup-1' });
export const admin = () => authHeader('admin', '32', { sub: 'admin-1' });
/** A mediator user: role mediator, their provider id in dispatch as the providerId claim. */
export const mediatorUser = (providerId: string, jurisdiction = GULOU) =>
  authHeader('mediator', jurisdiction, { sub: `user-${providerId}`, providerId });

let issued = Math.floor(Math.random() * 500);
/** A fresh, valid identity number (GB 11643), never the same twice in one test process. */
export function uniqueIdentityNumber(birthDate = '1970-05-20'): string {
  const n = issued++;
  return identityNumberFor(birthDate, n % 1000, `3201${String(Math.floor(n / 1000) % 100).padStart(2, '0')}`);
}

let phones = Math.floor(Math.random() * 1_000_000);
/** A fresh mainland mobile number. */
export function uniquePhone(): string {
  phones = (phones + 1) % 100_000_000;
  return `139${String(phones).padStart(8, '0')}`;
}

/** An applicant and a respondent with fresh phones and identity numbers. */
export function twoParties(): Json[] {
  return [
    {
      role: 'applicant',
      name: '张建国',
      phone: uniquePhone(),
      identityNumber: uniqueIdentityNumber('1965-03-02'),
    },
    {
      role: 'respondent',
      name: '李秀兰',
      phone: uniquePhone(),
      identityNumber: uniqueIdentityNumber('1972-11-30'),
    },
  ];
}

/** A POST /cases body in Gulou, with two parties unless told otherwise. */
export function caseBody(overrides: Json = {}): Json {
  return {
    caseType: 'neighbour',
    communityCode: GULOU_COMMUNITY,
    description: '楼上漏水，邻里协商未果 / a leak from upstairs, neighbours could not agree',
    parties: twoParties(),
    ...overrides,
  };
}

/** resident-requests as the tests need it: its ticket events, published as it does (keyed by the ticket id). */
export class TicketEvents {
  private readonly versions = new Map<string, number>();

  private constructor(private readonly producer: Producer) {}

  static async start(): Promise<TicketEvents> {
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'mediation-test-tickets',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    return new TicketEvents(producer);
  }

  /** ticket.triaged (category dispute, the priority given), then ticket.routed to mediation. Returns the events. */
  async disputeRouted(
    ticketId: string,
    community = GULOU_COMMUNITY,
    priority: 'danger' | 'utilities' | 'general' | 'complex' = 'general',
  ): Promise<CloudEvent[]> {
    const now = Date.now();
    const triaged = this.event(ticketTriaged.type, ticketId, community, {
      category: 'dispute',
      serviceClass: 'safety',
      priority,
      acceptDueAt: new Date(now + 3_600_000).toISOString(),
      resolveDueAt: new Date(now + 7 * 86_400_000).toISOString(),
      overridden: false,
    });
    const routed = this.event(ticketRouted.type, ticketId, community, {
      routedTo: 'mediation',
      actorId: 'op-1',
    });
    await this.send([triaged, routed]);
    return [triaged, routed];
  }

  /** Sends events again as they were (a redelivery: same ids). */
  async send(events: CloudEvent[]): Promise<void> {
    await this.producer.send({ topic: namespaced(ticketTopic.name), messages: events.map(toKafkaRecord) });
  }

  private event(type: string, ticketId: string, jurisdiction: string, data: Json): CloudEvent {
    const version = (this.versions.get(ticketId) ?? 0) + 1;
    this.versions.set(ticketId, version);
    return createEvent({
      id: randomUUID(),
      source: '/linli/resident-requests',
      type,
      subject: ticketId,
      jurisdiction,
      data: { ticketId, version, jurisdiction, ...data },
    });
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** A unique ticket id as resident-requests issues them (T<yyyyMMdd>-<6 digits>). */
export function ticketId(): string {
  return `T20261129-${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
}
