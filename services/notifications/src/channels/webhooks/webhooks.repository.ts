// Every query and write of webhooks. Reads that serve a user are scoped to the actor's jurisdiction; the sender's
// lookups (no actor) and its health updates are internal.
import type { Actor } from '@linli/auth';
import { sealPersonalData } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { DeliveryDocument, DeliveryStatus } from '../../deliveries/delivery.schema';
import { DELIVERY_MODEL, WEBHOOK_MODEL } from '../../models';
import type { WebhookDocument } from './webhook.schema';

/** The longest error text kept on a webhook. */
const MAX_ERROR_LENGTH = 500;

@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectModel(WEBHOOK_MODEL) private readonly webhooks: Model<WebhookDocument>,
    @InjectModel(DELIVERY_MODEL) private readonly deliveries: Model<DeliveryDocument>,
  ) {}

  async insert(webhook: WebhookDocument): Promise<void> {
    // The driver bypasses mongoose's middleware: the signing secret is sealed here (ADR 0026).
    await this.webhooks.collection.insertOne(sealPersonalData(this.webhooks, webhook) as never);
  }

  /** A webhook the actor may see (active or not); undefined when absent or outside their jurisdiction. */
  findById(webhookId: string, actor: Actor): Promise<WebhookDocument | null> {
    return this.webhooks
      .findOne({ _id: webhookId, ...actor.scope() })
      .lean<WebhookDocument>()
      .exec();
  }

  /** Whether an active webhook with this id exists and the actor may use it (contacts check this). */
  async isActive(webhookId: string, actor: Actor): Promise<boolean> {
    const found = await this.webhooks
      .findOne({ _id: webhookId, active: true, ...actor.scope() }, { _id: 1 })
      .lean()
      .exec();
    return found !== null;
  }

  /** For the sender: any webhook by id. */
  get(webhookId: string): Promise<WebhookDocument | null> {
    return this.webhooks.findOne({ _id: webhookId }).lean<WebhookDocument>().exec();
  }

  async deactivate(webhookId: string, actor: Actor, now: Date): Promise<boolean> {
    const result = await this.webhooks
      .updateOne({ _id: webhookId, ...actor.scope() }, { $set: { active: false, updatedAt: now } })
      .exec();
    return result.matchedCount > 0;
  }

  /** A call answered 2xx: healthy again. */
  async recordSuccess(webhookId: string, now: Date): Promise<void> {
    await this.webhooks
      .updateOne(
        { _id: webhookId },
        {
          $set: {
            status: 'healthy',
            consecutiveFailures: 0,
            lastAttemptAt: now,
            lastSuccessAt: now,
            updatedAt: now,
          },
        },
      )
      .exec();
  }

  /** A call failed (refused, no answer, an error status): failing until the next success. */
  async recordFailure(webhookId: string, error: string, now: Date): Promise<void> {
    await this.webhooks
      .updateOne(
        { _id: webhookId },
        {
          $set: {
            status: 'failing',
            lastError: error.slice(0, MAX_ERROR_LENGTH),
            lastAttemptAt: now,
            updatedAt: now,
          },
          $inc: { consecutiveFailures: 1 },
        },
      )
      .exec();
  }

  /** The deliveries sent (or tried) to a webhook, newest first. */
  deliveriesOf(
    webhookId: string,
    status: DeliveryStatus | undefined,
    page: number,
    pageSize: number,
  ): Promise<DeliveryDocument[]> {
    return this.deliveries
      .find(
        { webhookId, channel: 'webhook', ...(status ? { status } : {}) },
        { outbox: 0, outboxLease: 0, title: 0, body: 0, data: 0 },
      )
      .sort({ createdAt: -1, _id: 1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean<DeliveryDocument[]>()
      .exec();
  }
}
