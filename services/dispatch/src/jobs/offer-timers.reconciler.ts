// MongoDB is the truth of open offers; this makes sure each has its expiry timer (a crash between the job's write
// and the timer's scheduling leaves one without), expires the overdue ones whose timer is gone, and recounts the
// providers' stored loads. At start-up and every RECONCILE_INTERVAL_MS.
import { InjectConfig, correlationContext, newCorrelationId } from '@linli/platform';
import { Scheduler } from '@linli/scheduling';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { DispatchConfig } from '../config';
import { ProvidersRepository } from '../providers/providers.repository';
import { DispatchJobs } from '../scheduling.jobs';
import { openOffers } from './job.rules';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

const PAGE = 200;

@Injectable()
export class OfferTimersReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OfferTimersReconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly jobs: JobsRepository,
    private readonly providers: ProvidersRepository,
    private readonly service: JobsService,
    private readonly scheduler: Scheduler,
    @InjectConfig() private readonly config: DispatchConfig,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: readiness does not wait for a pass over every open offer.
    this.trigger();
    if (this.config.RECONCILE_INTERVAL_MS > 0) {
      this.timer = setInterval(() => this.trigger(), this.config.RECONCILE_INTERVAL_MS);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private trigger(): void {
    if (this.running || this.stopped) return;
    this.running = correlationContext
      .run(newCorrelationId(), async () => void (await this.reconcile()))
      .catch((error: Error) => this.logger.warn({ msg: 'reconciliation failed', error: error.message }))
      .finally(() => (this.running = undefined));
  }

  async reconcile(): Promise<{ scheduled: number; expired: number }> {
    let scheduled = 0;
    let expired = 0;
    let after: string | undefined;
    for (;;) {
      if (this.stopped) break;
      const page = await this.jobs.withOpenOffers(after, PAGE);
      for (const job of page) {
        for (const offer of openOffers(job)) {
          const result = await this.scheduler.schedule(DispatchJobs.offerExpiry, {
            key: [offer.offerId],
            dueAt: offer.expiresAt,
            payload: { jobId: job.jobId, offerId: offer.offerId },
          });
          if (result.created) scheduled++;
          // The timer ran (or gave up, or was cancelled) while the offer is still open: expire it here.
          else if (
            result.status !== 'pending' &&
            result.status !== 'running' &&
            offer.expiresAt <= new Date()
          ) {
            await this.service.expireOffer(job.jobId, offer.offerId);
            expired++;
          }
        }
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1]?.jobId;
    }
    await this.service.refreshLoad(await this.providers.allIds());
    if (scheduled || expired) this.logger.log({ msg: 'open offers reconciled', scheduled, expired });
    return { scheduled, expired };
  }
}
