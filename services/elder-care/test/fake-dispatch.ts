// Dispatch as elder-care's integration tests need it, without the dispatch service: it reads what elder-care puts on
// the (namespaced) job topic (job.requested, job.cancellation-requested, job.progress-reported) and publishes the
// answers dispatch would (job.accepted, job.escalated, job.cancelled) when the test says so.
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
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { EventProbe } from '@linli/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export class FakeDispatch {
  private readonly versions = new Map<string, number>();

  private constructor(
    private readonly producer: Producer,
    /** Everything on the job topic, elder-care's requests and this fake's answers alike. */
    readonly jobs: EventProbe,
  ) {}

  static async start(): Promise<FakeDispatch> {
    const kafka = new Kafka({
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      clientId: 'elder-care-test-dispatch',
      logLevel: logLevel.NOTHING,
    });
    const producer = kafka.producer();
    await producer.connect();
    const jobs = await EventProbe.start({ topic: jobTopic.name });
    return new FakeDispatch(producer, jobs);
  }

  /** The job.requested of a visit's n-th dispatch, once elder-care has sent it. */
  async requested(visitId: string, attempt = 1, timeoutMs = 30_000): Promise<CloudEvent<Json>> {
    const jobId = `${visitId}-J${attempt}`;
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

  escalate(jobId: string, jurisdiction: string) {
    return this.publish(jobEscalated, jobId, jurisdiction, { reason: 'no-provider', level: 1 });
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
