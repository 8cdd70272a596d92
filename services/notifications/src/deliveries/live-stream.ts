// The inbox's live stream across instances: every new in-app delivery (and every change of a recipient's unread
// count) is published once on one Redis pub/sub channel, carrying recipient ids; each instance forwards what it
// receives to the streams of its own connected recipients. Redis is not the record: a stream that misses a message
// still finds it in the inbox.
import { namespaced } from '@linli/platform';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { config } from '../config';

export interface InboxItem {
  deliveryId: string;
  template: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: Date | string;
  readAt?: Date | string | null;
}

export type LiveMessage =
  { recipientId: string; event: 'delivery'; item: InboxItem } | { recipientId: string; event: 'unread' };

export type LiveListener = (message: LiveMessage) => void;

@Injectable()
export class LiveStream implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LiveStream.name);
  private readonly channel = namespaced('linli:notifications:inbox', ':');
  private readonly listeners = new Map<string, Set<LiveListener>>();
  /** Ends each open stream, so a shutdown does not wait on them. */
  private readonly enders = new Set<() => void>();
  private publisher?: Redis;
  private subscriber?: Redis;

  async onModuleInit(): Promise<void> {
    this.publisher = new Redis(config.REDIS_URL, { lazyConnect: true });
    this.subscriber = new Redis(config.REDIS_URL, { lazyConnect: true });
    await Promise.all([this.publisher.connect(), this.subscriber.connect()]);
    this.subscriber.on('message', (_channel: string, text: string) => this.forward(text));
    await this.subscriber.subscribe(this.channel);
  }

  async onModuleDestroy(): Promise<void> {
    for (const end of [...this.enders]) end();
    await Promise.allSettled([this.publisher?.quit(), this.subscriber?.quit()]);
  }

  /** One Redis message for the whole list. Failing to publish loses only the live push, never the delivery. */
  async publish(messages: readonly LiveMessage[]): Promise<void> {
    if (messages.length === 0 || !this.publisher) return;
    try {
      await this.publisher.publish(this.channel, JSON.stringify(messages));
    } catch (error) {
      this.logger.warn({ msg: 'live stream publish failed', error: (error as Error).message });
    }
  }

  /**
   * Listens for one recipient's messages on this instance; `end` closes the stream at shutdown. Returns the
   * function that stops listening.
   */
  listen(recipientId: string, listener: LiveListener, end: () => void): () => void {
    const set = this.listeners.get(recipientId) ?? new Set<LiveListener>();
    set.add(listener);
    this.listeners.set(recipientId, set);
    this.enders.add(end);
    return () => {
      this.enders.delete(end);
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(recipientId);
    };
  }

  private forward(text: string): void {
    if (this.listeners.size === 0) return;
    let messages: LiveMessage[];
    try {
      messages = JSON.parse(text) as LiveMessage[];
    } catch {
      return;
    }
    for (const message of messages) {
      this.listeners.get(message.recipientId)?.forEach((listener) => listener(message));
    }
  }
}
