// The lifecycle of scheduling in one place, because the order matters: check processors, reconcile, start the
// workers and the periodic reconciliation; at shutdown stop the timer, then drain and close the queues.
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { ReadinessRegistry } from '@linli/platform';
import { ProcessorCatalogue } from './processor.catalogue';
import { ScheduledWorkReconciler, ReconcileReport } from './scheduled-work.reconciler';
import { ScheduledWorkRepository } from './scheduled-work.repository';
import { ScheduledWorkWorker } from './scheduled-work.worker';
import { SchedulingMetrics } from './scheduling.metrics';
import { SCHEDULING_OPTIONS, ResolvedSchedulingOptions } from './scheduling.options';
import { SchedulingQueues, withTimeout } from './scheduling.queues';

export const REDIS_READINESS_CHECK = 'redis';

@Injectable()
export class SchedulingRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SchedulingRuntime.name);
  private worker?: ScheduledWorkWorker;
  private timer?: NodeJS.Timeout;
  private closing = false;
  private inFlight?: Promise<ReconcileReport | undefined>;
  private readonly reconciler: ScheduledWorkReconciler;

  constructor(
    @Inject(SCHEDULING_OPTIONS) private readonly options: ResolvedSchedulingOptions,
    private readonly catalogue: ProcessorCatalogue,
    private readonly repository: ScheduledWorkRepository,
    private readonly queues: SchedulingQueues,
    private readonly metrics: SchedulingMetrics,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {
    this.reconciler = new ScheduledWorkReconciler(options, repository, queues, metrics);
  }

  /** Refuses to start (throws ProcessorRegistrationError) unless every declared job has exactly one processor. */
  async onModuleInit(): Promise<void> {
    const processors = this.catalogue.resolve(this.options.jobs);
    this.worker = new ScheduledWorkWorker(this.repository, processors, this.options.attempts);
    await this.repository.ensureIndexes();
    this.queues.open();
    if (this.readiness) {
      this.readiness.register({ name: REDIS_READINESS_CHECK, check: () => this.queues.ping() });
    } else {
      this.logger.warn({ msg: 'no ReadinessRegistry provided: redis is not part of /health/ready' });
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    // Reconcile before taking jobs, so work lost with Redis is back in the queues when the workers start.
    await withTimeout(
      this.reconcileNow(),
      this.options.startupReconcileTimeoutMs,
      'start-up reconciliation',
    ).catch((error: Error) =>
      this.logger.error({ msg: 'start-up reconciliation did not finish', error: error.message }),
    );
    if (this.options.runWorkers) this.startWorkers();
    if (this.options.reconcileIntervalMs > 0) {
      this.timer = setInterval(() => void this.reconcileNow(), this.options.reconcileIntervalMs);
      this.timer.unref();
    }
  }

  /**
   * One reconciliation pass; concurrent callers share the pass in flight (a pass stuck behind a Redis outage must
   * not pile up timers' passes behind it).
   */
  reconcileNow(): Promise<ReconcileReport | undefined> {
    if (!this.inFlight) {
      this.inFlight = this.reconciler
        .reconcile()
        .catch((error: Error) => {
          this.logger.error({ msg: 'reconciliation failed', error: error.message });
          return undefined;
        })
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    return this.inFlight;
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    this.readiness?.unregister(REDIS_READINESS_CHECK);
    if (this.inFlight) {
      await withTimeout(this.inFlight, this.options.shutdownTimeoutMs, 'reconciliation at shutdown').catch(
        () => undefined,
      );
    }
    await this.queues.close();
    this.metrics.unregister();
  }

  private startWorkers(): void {
    const worker = this.worker;
    if (!worker) return;
    for (const queue of this.queues.all()) {
      // '*' takes every job name of the queue, so a job under an unknown name fails loudly instead of waiting forever.
      void queue
        .process('*', this.options.concurrency, (job) => worker.run(job))
        .catch((error: unknown) => {
          // Bull rejects the processing loop when the queue closes; only a stop before shutdown is news.
          if (this.closing) return;
          this.logger.error({ msg: 'queue worker stopped', queue: queue.name, error: describeError(error) });
        });
    }
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
