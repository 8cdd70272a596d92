// Prometheus metrics of the publishing side: outbox backlog, events out by type, outbox-to-Kafka latency.
import { Logger } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export const OUTBOX_BACKLOG_METRIC = 'linli_outbox_pending_documents';
export const EVENTS_PUBLISHED_METRIC = 'linli_events_published_total';
export const PUBLISH_LATENCY_METRIC = 'linli_outbox_publish_latency_seconds';
export const PUBLISH_FAILURES_METRIC = 'linli_outbox_publish_failures_total';

/** From the event's time (the write) to the broker's ack: 5 ms (nudged) to a minute (a backlog after an outage). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Counts documents with pending events per collection, read at scrape time. */
export type BacklogReader = () => Promise<{ collection: string; pending: number }[]>;

export class MessagingMetrics {
  private readonly logger = new Logger(MessagingMetrics.name);
  private readonly published: Counter<'topic' | 'type'>;
  private readonly latency: Histogram<'topic'>;
  private readonly failures: Counter<'collection'>;
  private readonly backlog: Gauge<'collection'>;

  constructor(
    private readonly registry: Registry,
    backlogReader: BacklogReader,
  ) {
    // A registry holds one metric per name; the newest module instance (e.g. after an in-process restart) wins.
    for (const name of [
      OUTBOX_BACKLOG_METRIC,
      EVENTS_PUBLISHED_METRIC,
      PUBLISH_LATENCY_METRIC,
      PUBLISH_FAILURES_METRIC,
    ]) {
      registry.removeSingleMetric(name);
    }
    const logger = this.logger;
    this.backlog = new Gauge({
      name: OUTBOX_BACKLOG_METRIC,
      help: 'Documents whose outbox holds events not yet published, per collection',
      labelNames: ['collection'],
      registers: [registry],
      async collect() {
        try {
          for (const { collection, pending } of await backlogReader()) this.set({ collection }, pending);
        } catch (error) {
          logger.warn({ msg: 'outbox backlog unavailable', error: (error as Error).message });
        }
      },
    });
    this.published = new Counter({
      name: EVENTS_PUBLISHED_METRIC,
      help: 'Events published to Kafka (acknowledged by all in-sync replicas), by topic and type',
      labelNames: ['topic', 'type'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: PUBLISH_LATENCY_METRIC,
      help: 'Seconds from an event being written to its outbox to Kafka acknowledging it',
      labelNames: ['topic'],
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.failures = new Counter({
      name: PUBLISH_FAILURES_METRIC,
      help: 'Relay batches that failed to publish (retried at the next poll)',
      labelNames: ['collection'],
      registers: [registry],
    });
  }

  /** `type` is bounded: it comes from this service's own events, never from the wire. */
  countPublished(topic: string, type: string, writtenAt: string, now = Date.now()): void {
    this.published.inc({ topic, type });
    const written = Date.parse(writtenAt);
    if (Number.isFinite(written)) this.latency.observe({ topic }, Math.max(0, now - written) / 1000);
  }

  countFailure(collection: string): void {
    this.failures.inc({ collection });
  }

  unregister(): void {
    const mine = [this.backlog, this.published, this.latency, this.failures];
    for (const metric of mine) {
      const name = (metric as unknown as { name: string }).name;
      if (this.registry.getSingleMetric(name) === metric) this.registry.removeSingleMetric(name);
    }
  }
}
