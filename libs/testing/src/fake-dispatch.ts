// Dispatch as a service's integration tests need it, without the dispatch service: it reads what the service puts
// on the (namespaced) job topic (job.requested, job.cancellation-requested, job.progress-reported) and publishes
// the answers dispatch would (job.accepted, job.escalated, job.cancelled) when the test says so.
import {
  createEvent,
  jobAccepted,
  jobCancelled,
  jobEscalated,
  jobRequested,
  jobTopic,
  toKafkaRecord,
  type CloudEvent,
  type EventDefinition,
  type JOB_ESCALATION_REASONS,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { EventProbe } from './events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export interface FakeDispatchOptions {
  /** The Kafka client id, naming the test that runs it (e.g. 'elder-care-test-dispatch'). */
  clientId: string;
  /**
   * The letter between an aggregate id and its attempt in the service's job ids: elder-care's visits ask for
   * `<visitId>-J<n>` (the default), mediation's cases for `<caseId>-M<n>`.
   */
  jobLetter?: string;
  brokers?: string[];
}

export class FakeDispatch {
  private readonly versions = new Map<string, number>();

  private constructor(
    private readonly producer: Producer,
    /** Everything on the job topic, the service's requests and this fake's answers alike. */
    readonly jobs: EventProbe,
    private readonly jobLetter: string,
  ) {}

  static async start(options: FakeDispatchOptions): Promise<FakeDispatch> {
    const brokers = options.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
    const kafka = new Kafka({ brokers, clientId: options.clientId, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const jobs = await EventProbe.start({ topic: jobTopic.name, brokers });
    return new FakeDispatch(producer, jobs, options.jobLetter ?? 'J');
  }

  /** The job id of an aggregate's n-th dispatch. */
  jobId(aggregateId: string, attempt = 1): string {
    return `${aggregateId}-${this.jobLetter}${attempt}`;
  }

  /** The job.requested of an aggregate's n-th dispatch, once the service has sent it. */
  async requested(aggregateId: string, attempt = 1, timeoutMs = 30_000): Promise<CloudEvent<Json>> {
    const jobId = this.jobId(aggregateId, attempt);
    const [event] = await this.jobs.waitFor(
      (e) => e.type === jobRequested.type && (e.data as Json).jobId === jobId,
      { timeoutMs },
    );
    return event as CloudEvent<Json>;
  }

  /** Events of one type (`linli.dispatch.job.<name>.v1`) about one job, as seen so far. */
  seen(type: string, jobId: string): CloudEvent<Json>[] {
    return this.jobs.events.filter(
      (e) => e.type === type && (e.data as Json).jobId === jobId,
    ) as CloudEvent<Json>[];
  }

  async waitFor(type: string, jobId: string, count = 1, timeoutMs = 30_000): Promise<CloudEvent<Json>[]> {
    return (await this.jobs.waitFor((e) => e.type === type && (e.data as Json).jobId === jobId, {
      count,
      timeoutMs,
    })) as CloudEvent<Json>[];
  }

  accept(jobId: string, jurisdiction: string, providerId: string, providerKind = 'social-organisation') {
    return this.publish(jobAccepted, jobId, jurisdiction, {
      offerId: `${jobId}-o1`,
      providerId,
      providerKind,
      actorId: `user-${providerId}`,
    });
  }

  escalate(
    jobId: string,
    jurisdiction: string,
    reason: (typeof JOB_ESCALATION_REASONS)[number] = 'no-provider',
    level = 1,
  ) {
    return this.publish(jobEscalated, jobId, jurisdiction, { reason, level });
  }

  cancel(jobId: string, jurisdiction: string, providerId?: string) {
    return this.publish(jobCancelled, jobId, jurisdiction, {
      reason: 'manual',
      ...(providerId ? { providerId } : {}),
      actorId: 'coordinator-1',
    });
  }

  /** Publishes as dispatch does: keyed by the job id, with the job's next version. Returns the event id. */
  async publish(
    definition: EventDefinition,
    jobId: string,
    jurisdiction: string,
    data: Json,
    id: string = randomUUID(),
  ): Promise<string> {
    const version = (this.versions.get(jobId) ?? 0) + 1;
    this.versions.set(jobId, version);
    const event = createEvent({
      id,
      source: '/linli/dispatch',
      type: definition.type,
      subject: jobId,
      jurisdiction,
      data: { jobId, version, jurisdiction, ...data },
    });
    await this.producer.send({ topic: namespaced(jobTopic.name), messages: [toKafkaRecord(event)] });
    return id;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.jobs.stop(), this.producer.disconnect()]);
  }
}
