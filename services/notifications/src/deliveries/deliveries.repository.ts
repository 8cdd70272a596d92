// Every read and change of deliveries made over HTTP: a recipient's own inbox, and the receipts within the
// caller's jurisdiction.
import type { Actor } from '@linli/auth';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { DELIVERY_MODEL } from '../models';
import type { DeliveryDocument } from './delivery.schema';

const NOT_SHOWN = { outbox: 0, outboxLease: 0 } as const;

@Injectable()
export class DeliveriesRepository {
  constructor(@InjectModel(DELIVERY_MODEL) private readonly deliveries: Model<DeliveryDocument>) {}

  async inbox(recipientId: string, options: { unread?: boolean; before?: Date; limit: number }) {
    return this.deliveries
      .find(
        {
          recipientId,
          channel: 'in-app',
          ...(options.unread ? { readAt: null } : {}),
          ...(options.before ? { createdAt: { $lt: options.before } } : {}),
        },
        NOT_SHOWN,
      )
      .sort({ createdAt: -1, _id: -1 })
      .limit(options.limit)
      .lean<DeliveryDocument[]>()
      .exec();
  }

  async unreadCount(recipientId: string): Promise<number> {
    return this.deliveries.countDocuments({ recipientId, channel: 'in-app', readAt: null }).exec();
  }

  /** Marks one of the recipient's own in-app deliveries read (once: the first reading time stays). */
  async markRead(recipientId: string, deliveryId: string, now: Date): Promise<DeliveryDocument | null> {
    await this.deliveries.collection.updateOne(
      { _id: deliveryId, recipientId, channel: 'in-app', readAt: null } as never,
      { $set: { readAt: now, updatedAt: now } },
    );
    return this.deliveries
      .findOne({ _id: deliveryId, recipientId, channel: 'in-app' }, NOT_SHOWN)
      .lean<DeliveryDocument>()
      .exec();
  }

  async markAllRead(recipientId: string, now: Date): Promise<number> {
    const result = await this.deliveries.collection.updateMany(
      { recipientId, channel: 'in-app', readAt: null } as never,
      { $set: { readAt: now, updatedAt: now } },
    );
    return result.modifiedCount;
  }

  async receipt(deliveryId: string, actor: Actor): Promise<DeliveryDocument | null> {
    return this.deliveries
      .findOne({ _id: deliveryId, ...actor.scope() }, NOT_SHOWN)
      .lean<DeliveryDocument>()
      .exec();
  }

  async receipts(
    actor: Actor,
    filter: { messageKey?: string; recipientId?: string; status?: string; channel?: string },
    page: number,
    pageSize: number,
  ): Promise<DeliveryDocument[]> {
    const defined = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== undefined));
    return this.deliveries
      .find({ ...defined, ...actor.scope() }, NOT_SHOWN)
      .sort({ _id: 1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean<DeliveryDocument[]>()
      .exec();
  }
}
