// The SMS and webhook senders' reads and writes of deliveries: load one to send, and record how a try went — the
// status change and its delivery.sent / delivery.failed event in one conditional write (the delivery's outbox), so a
// receipt and its event never part. Only deliveries still open (queued, sending) are written: a finished one stays.
import { createEvent, deliveryFailed, deliverySent, DELIVERY_FAILURES } from '@linli/contracts';
import { outboxEntry, tryApplyChange } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { config } from '../config';
import type { DeliveryDocument } from '../deliveries/delivery.schema';
import { DELIVERY_MODEL } from '../models';

export const SOURCE = 'linli/notifications';
export type FailureReason = (typeof DELIVERY_FAILURES)[number];

const OPEN_STATUSES = ['queued', 'sending'] as const;
const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;
/** The longest error text kept on a delivery (an answer's first words, a socket error code). */
const MAX_ERROR_LENGTH = 500;

export type OpenDelivery = Omit<DeliveryDocument, 'outbox' | 'outboxLease'>;

/** How one try went. */
export type TryOutcome =
  | { kind: 'sent'; attempt: number; webhookId?: string }
  | {
      kind: 'failed';
      attempt: number;
      reason: FailureReason;
      error: string;
      /** No further try: status failed (or refused); otherwise queued again with nextAttemptAt. */
      final: boolean;
      refused?: boolean;
      nextAttemptAt?: Date;
      webhookId?: string;
    };

@Injectable()
export class ChannelDeliveriesRepository {
  constructor(@InjectModel(DELIVERY_MODEL) private readonly deliveries: Model<DeliveryDocument>) {}

  /** The delivery if it still waits to be sent on SMS or webhook; undefined when gone or finished. */
  async findOpen(deliveryId: string): Promise<OpenDelivery | undefined> {
    const delivery = await this.deliveries
      .findOne({ _id: deliveryId }, WITHOUT_OUTBOX)
      .lean<OpenDelivery>()
      .exec();
    if (!delivery || !(OPEN_STATUSES as readonly string[]).includes(delivery.status)) return undefined;
    return delivery;
  }

  /**
   * Records a try on the delivery as it is now (retried on a concurrent write, e.g. a read receipt). False when
   * the delivery is no longer open: someone recorded its end first, and nothing is written.
   */
  async record(deliveryId: string, outcome: TryOutcome, now = new Date()): Promise<boolean> {
    for (let write = 1; write <= config.WRITE_ATTEMPTS; write++) {
      const current = await this.findOpen(deliveryId);
      if (!current) return false;
      const { set, event } = this.change(current, outcome, now);
      const after = await tryApplyChange(this.deliveries, {
        id: deliveryId,
        expectedVersion: current.version,
        expectedStatus: OPEN_STATUSES,
        set,
        events: [event],
      });
      if (after) return true;
    }
    throw new Error(`delivery ${deliveryId}: ${config.WRITE_ATTEMPTS} concurrent writes in a row`);
  }

  private change(current: OpenDelivery, outcome: TryOutcome, now: Date) {
    const ref = {
      deliveryId: current._id,
      version: current.version + 1,
      jurisdiction: current.jurisdiction,
      recipientId: current.recipientId,
      channel: current.channel,
      cause: { eventType: current.cause.eventType, eventId: current.cause.eventId },
      attempt: outcome.attempt,
    };
    const common: Record<string, unknown> = { attempts: outcome.attempt, updatedAt: now };
    if (outcome.webhookId && !current.webhookId) common.webhookId = outcome.webhookId;
    const envelope = {
      source: SOURCE,
      subject: current._id,
      jurisdiction: current.jurisdiction,
      causationid: current.cause.eventId,
    };
    if (outcome.kind === 'sent') {
      return {
        set: { ...common, status: 'sent', sentAt: now, nextAttemptAt: null, lastError: null },
        event: outboxEntry(deliverySent, createEvent({ ...envelope, type: deliverySent.type, data: ref })),
      };
    }
    const error = outcome.error.slice(0, MAX_ERROR_LENGTH);
    const set = outcome.final
      ? {
          ...common,
          status: outcome.refused ? 'refused' : 'failed',
          failedAt: now,
          nextAttemptAt: null,
          lastError: error,
        }
      : { ...common, status: 'queued', nextAttemptAt: outcome.nextAttemptAt ?? null, lastError: error };
    return {
      set,
      event: outboxEntry(
        deliveryFailed,
        createEvent({
          ...envelope,
          type: deliveryFailed.type,
          data: { ...ref, reason: outcome.reason, final: outcome.final },
        }),
      ),
    };
  }
}
