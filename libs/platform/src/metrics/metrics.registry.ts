// The Prometheus registry of a service. It is prom-client's default registry on purpose: messaging and
// scheduling register their metrics there when given no registry, so /metrics shows them without wiring.
import { Histogram, collectDefaultMetrics, register, type Registry } from 'prom-client';

export const metricsRegistry: Registry = register;

/** Seconds. Dense below 100 ms where API calls live, a tail for slow ones up to 10 s. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export const HTTP_DURATION_METRIC = 'http_server_request_duration_seconds';

type HttpLabels = 'method' | 'route' | 'status_code';

let defaultMetricsStarted = false;

/** Process metrics (CPU, memory, event-loop lag, GC), registered once per process however many apps start. */
export function ensureDefaultMetrics(): void {
  if (defaultMetricsStarted) return;
  defaultMetricsStarted = true;
  collectDefaultMetrics({ register: metricsRegistry });
}

/** The HTTP request duration histogram, created once per process (a second registration would throw). */
export function httpRequestDuration(): Histogram<HttpLabels> {
  const existing = metricsRegistry.getSingleMetric(HTTP_DURATION_METRIC);
  if (existing) return existing as Histogram<HttpLabels>;
  return new Histogram<HttpLabels>({
    name: HTTP_DURATION_METRIC,
    help: 'Duration of HTTP requests served, by route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [...HTTP_DURATION_BUCKETS],
    registers: [metricsRegistry],
  });
}
