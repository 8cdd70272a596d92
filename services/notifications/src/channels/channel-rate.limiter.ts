// Per-channel send rates across every instance (SMS_RATE_PER_SECOND, WEBHOOK_RATE_PER_SECOND), counted in the
// shared Redis: a sender over the limit waits for the next slot; the delivery itself never fails for it.
import { namespaced } from '@linli/platform';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { config } from '../config';

export type RateLimitedChannel = 'sms' | 'webhook';

/** A sender waits at most this long in one go before asking again (the limiter says how long is left). */
const MAX_WAIT_MS = 1_000;

@Injectable()
export class ChannelRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(ChannelRateLimiter.name);
  private readonly redis: Redis;
  private readonly limiters: Record<RateLimitedChannel, RateLimiterRedis>;

  constructor() {
    this.redis = new Redis(config.REDIS_URL, {
      connectionName: 'linli-notifications-rate',
      // A command fails after a few retries rather than waiting forever: the send is then retried by Bull.
      maxRetriesPerRequest: 3,
      lazyConnect: true,
    });
    this.redis.on('error', (error) =>
      this.logger.warn({ msg: 'redis connection error (rate limits)', error: error.message }),
    );
    const keyPrefix = namespaced('linli:notifications:rate', ':');
    const limiter = (points: number) =>
      new RateLimiterRedis({ storeClient: this.redis, keyPrefix, points, duration: 1 });
    this.limiters = {
      sms: limiter(config.SMS_RATE_PER_SECOND),
      webhook: limiter(config.WEBHOOK_RATE_PER_SECOND),
    };
  }

  /** Resolves when this instance may send one more message on `channel` (waiting while the window is full). */
  async take(channel: RateLimitedChannel): Promise<void> {
    for (;;) {
      try {
        await this.limiters[channel].consume(channel, 1);
        return;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // A little jitter so the instances waiting for the same window do not all ask at its first millisecond.
        const wait = Math.min(MAX_WAIT_MS, rejection.msBeforeNext) + Math.floor(Math.random() * 20);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** After every module's destroy hook: the queues (closed there) wait for the senders, which may need a slot. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
