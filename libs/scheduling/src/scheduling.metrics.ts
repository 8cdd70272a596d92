// Prometheus metrics of scheduling: queue depth per queue and state, and what reconciliation had to repair.
import { Logger } from '@nestjs/common';
import { Counter, Gauge, Registry, register as globalRegistry } from 'prom-client';
import { SchedulingQueues, withTimeout } from './scheduling.queues';

export const QUEUE_DEPTH_METRIC = 'linli_scheduling_queue_jobs';
export const RECONCILED_METRIC = 'linli_scheduling_reconciled_jobs_total';

const DEPTH_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

/** What reconciliation did to one record: added a missing job, replaced a stale one, promoted a stalled one... */
export type ReconcileAction = 'added' | 'replaced' | 'promoted' | 'released';

export class SchedulingMetrics {
  private readonly logger = new Logger(SchedulingMetrics.name);
  private readonly registry: Registry;
  private readonly depth: Gauge<'queue' | 'state'>;
  private readonly reconciled: Counter<'queue' | 'action'>;

  constructor(queues: SchedulingQueues, scrapeTimeoutMs: number, registry?: Registry) {
    this.registry = registry ?? globalRegistry;
    const logger = this.logger;
    // A registry holds one metric per name; the newest module instance (e.g. after an in-process restart) wins.
    this.registry.removeSingleMetric(QUEUE_DEPTH_METRIC);
    this.registry.removeSingleMetric(RECONCILED_METRIC);
    this.depth = new Gauge({
      name: QUEUE_DEPTH_METRIC,
      help: 'Jobs in each Bull queue by state (waiting, delayed, active, failed)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      // Read at scrape time; bounded so a Redis outage cannot hang /metrics.
      async collect() {
        for (const queue of queues.all()) {
          try {
            const counts = await withTimeout(queue.getJobCounts(), scrapeTimeoutMs, 'queue depth');
            for (const state of DEPTH_STATES) this.set({ queue: queue.name, state }, counts[state]);
          } catch (error) {
            logger.warn({
              msg: 'queue depth unavailable',
              queue: queue.name,
              error: (error as Error).message,
            });
          }
        }
      },
    });
    this.reconciled = new Counter({
      name: RECONCILED_METRIC,
      help: 'Jobs that reconciliation with MongoDB re-added, replaced, promoted or released',
      labelNames: ['queue', 'action'],
      registers: [this.registry],
    });
  }

  countReconciled(queue: string, action: ReconcileAction): void {
    this.reconciled.inc({ queue, action });
  }

  unregister(): void {
    if (this.registry.getSingleMetric(QUEUE_DEPTH_METRIC) === this.depth) {
      this.registry.removeSingleMetric(QUEUE_DEPTH_METRIC);
    }
    if (this.registry.getSingleMetric(RECONCILED_METRIC) === this.reconciled) {
      this.registry.removeSingleMetric(RECONCILED_METRIC);
    }
  }
}
