// Prometheus metrics of event consumers: events in by outcome, handler latency, lag, dead letters.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { DeadLetterKind } from './dead-letter';
import type { ConsumerOutcome } from './consumer.rules';

export const CONSUMER_EVENTS_METRIC = 'linli_consumer_events_total';
export const CONSUMER_HANDLER_SECONDS_METRIC = 'linli_consumer_handler_duration_seconds';
export const CONSUMER_LAG_METRIC = 'linli_consumer_lag_messages';
export const CONSUMER_DEAD_LETTERS_METRIC = 'linli_consumer_dead_letters_total';

/** Handlers write to MongoDB and sometimes call out: buckets from 5 ms to 10 s. */
const HANDLER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The event type is a label only for types this consumer handles: anything else on the wire is chosen by
 * whoever produced it, and an unbounded label would grow the registry without limit.
 */
export const OTHER_EVENT_TYPE = '(other)';

type EventLabels = 'group' | 'topic' | 'type' | 'outcome';

export class ConsumerMetrics {
  private readonly events: Counter<EventLabels>;
  private readonly handlerSeconds: Histogram<'group' | 'type' | 'result'>;
  private readonly lag: Gauge<'group' | 'topic' | 'partition'>;
  private readonly deadLetters: Counter<'group' | 'topic' | 'kind'>;

  /** Several runners (one per group) share a registry: the metric is created once, the group is a label. */
  constructor(
    registry: Registry,
    private readonly groupId: string,
  ) {
    this.events =
      existing(registry, CONSUMER_EVENTS_METRIC, Counter) ??
      new Counter({
        name: CONSUMER_EVENTS_METRIC,
        help: 'Events read by consumers, by outcome (handled, duplicate, dead-lettered, skipped)',
        labelNames: ['group', 'topic', 'type', 'outcome'],
        registers: [registry],
      });
    this.handlerSeconds =
      existing(registry, CONSUMER_HANDLER_SECONDS_METRIC, Histogram) ??
      new Histogram({
        name: CONSUMER_HANDLER_SECONDS_METRIC,
        help: 'Time spent in event handlers, per try',
        labelNames: ['group', 'type', 'result'],
        buckets: HANDLER_BUCKETS,
        registers: [registry],
      });
    this.lag =
      existing(registry, CONSUMER_LAG_METRIC, Gauge) ??
      new Gauge({
        name: CONSUMER_LAG_METRIC,
        help: 'Messages behind the last one handled, per partition (from the fetch high watermark)',
        labelNames: ['group', 'topic', 'partition'],
        registers: [registry],
      });
    this.deadLetters =
      existing(registry, CONSUMER_DEAD_LETTERS_METRIC, Counter) ??
      new Counter({
        name: CONSUMER_DEAD_LETTERS_METRIC,
        help: 'Messages copied to a dead-letter topic, by kind (malformed, invalid, handler-failed)',
        labelNames: ['group', 'topic', 'kind'],
        registers: [registry],
      });
  }

  countEvent(topic: string, type: string | undefined, outcome: ConsumerOutcome): void {
    this.events.inc({ group: this.groupId, topic, type: type ?? OTHER_EVENT_TYPE, outcome });
  }

  /** Starts a timer; call the result with whether the try succeeded. */
  timeHandler(type: string): (result: 'ok' | 'error') => void {
    const end = this.handlerSeconds.startTimer({ group: this.groupId, type });
    return (result) => end({ result });
  }

  setLag(topic: string, partition: number, lag: number): void {
    this.lag.set({ group: this.groupId, topic, partition: String(partition) }, lag);
  }

  countDeadLetter(topic: string, kind: DeadLetterKind): void {
    this.deadLetters.inc({ group: this.groupId, topic, kind });
  }
}

function existing<T>(
  registry: Registry,
  name: string,
  kind: abstract new (...args: never[]) => T,
): T | undefined {
  const metric = registry.getSingleMetric(name);
  return metric instanceof kind ? metric : undefined;
}
