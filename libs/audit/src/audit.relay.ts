// Publishes the service's audit_outbox to the gateway's audit topic: a batch read, one Kafka request (idempotent
// producer, acks from all in-sync replicas: @linli/messaging's EventProducer), then the batch deleted by _id. No
// lease: two instances may publish the same record, and a crash after the publish publishes it again; the gateway
// appends each auditId once, so either costs a duplicate message, never a duplicate entry.
import { Logger } from '@nestjs/common';
import { auditTopic } from '@linli/contracts';
import { RelayLoop, type EventProducer } from '@linli/messaging';
import type { AuditOutbox } from './audit-outbox';

export interface AuditRelaySettings {
  intervalMs: number;
  idleMaxMs: number;
  batchSize: number;
  shutdownFlushMs: number;
}

export class AuditRelay {
  private readonly logger = new Logger(AuditRelay.name);
  private readonly loop: RelayLoop;
  private stopListening?: () => void;
  private pass?: Promise<number>;

  constructor(
    private readonly outbox: AuditOutbox,
    private readonly producer: EventProducer,
    private readonly settings: AuditRelaySettings,
  ) {
    this.loop = new RelayLoop(
      async () => {
        const published = await this.publishPending();
        return { published, more: published >= this.settings.batchSize };
      },
      {
        pollIntervalMs: settings.intervalMs,
        idlePollMaxMs: settings.idleMaxMs,
        errorBackoffMs: settings.intervalMs,
      },
      (error) => this.logger.error({ msg: 'audit relay pass failed', error: error.message }),
    );
  }

  start(): void {
    if (this.loop.isRunning) return;
    this.stopListening = this.outbox.onAdd(() => this.nudge());
    this.loop.start();
  }

  nudge(): void {
    this.loop.nudge();
  }

  /** Stops polling, then publishes what is pending for up to `shutdownFlushMs` (the next start does the rest). */
  async stop(): Promise<void> {
    if (!this.loop.isRunning) return;
    this.stopListening?.();
    await this.loop.stop();
    const deadline = Date.now() + this.settings.shutdownFlushMs;
    try {
      while (Date.now() < deadline && (await this.publishPending()) > 0);
    } catch (error) {
      this.logger.warn({ msg: 'audit outbox not flushed at shutdown', error: (error as Error).message });
    }
  }

  /** One batch: read, publish, delete. Returns how many records were published. Concurrent calls share it. */
  publishPending(): Promise<number> {
    this.pass ??= this.publishBatch().finally(() => (this.pass = undefined));
    return this.pass;
  }

  private async publishBatch(): Promise<number> {
    const documents = await this.outbox.pending(this.settings.batchSize);
    if (documents.length === 0) return 0;
    await this.producer.publish(documents.map(({ event }) => ({ topic: auditTopic.name, event })));
    await this.outbox.remove(documents.map((document) => document._id));
    return documents.length;
  }
}
