// Sends one webhook delivery (the processor of NotificationJobs.webhookSend): the target checked again (DNS may
// have changed since registration), a signed POST to the checked address, and the try recorded on the delivery
// with its event and on the webhook's health. A retryable failure throws, so libs/scheduling tries again with
// exponential backoff; the last try, a refusal or a 4xx ends it (failed or refused, final).
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { config } from '../../config';
import type { ContactDocument } from '../../contacts/contact.schema';
import { CONTACT_MODEL } from '../../models';
import {
  ChannelDeliveriesRepository,
  type FailureReason,
  type OpenDelivery,
} from '../channel-deliveries.repository';
import { ChannelRateLimiter } from '../channel-rate.limiter';
import { RetryLaterError } from '../retry-later.error';
import { postWebhook, WebhookCallError } from './webhook.client';
import {
  isLastAttempt,
  outcomeOfStatus,
  retryDelayMs,
  webhookHeaders,
  type WebhookBody,
} from './webhook.rules';
import { WebhookTargetError, type CheckedTarget } from './webhook-target.rules';
import { WebhookTargets } from './webhook-targets';
import { WebhooksRepository } from './webhooks.repository';

@Injectable()
export class WebhookSender {
  private readonly logger = new Logger(WebhookSender.name);

  constructor(
    private readonly deliveries: ChannelDeliveriesRepository,
    private readonly webhooks: WebhooksRepository,
    private readonly targets: WebhookTargets,
    private readonly limiter: ChannelRateLimiter,
    @InjectModel(CONTACT_MODEL) private readonly contacts: Model<ContactDocument>,
  ) {}

  async send(deliveryId: string, attempt: number): Promise<void> {
    const delivery = await this.deliveries.findOpen(deliveryId);
    if (!delivery) return; // gone, or its end is recorded already (a job delivered twice)
    const webhookId = delivery.webhookId ?? (await this.webhookIdOfContact(delivery.recipientId));
    const webhook = webhookId ? await this.webhooks.get(webhookId) : null;
    if (!webhookId || !webhook || !webhook.active) {
      await this.deliveries.record(deliveryId, {
        kind: 'failed',
        attempt,
        reason: 'no-channel',
        error: webhookId ? `webhook ${webhookId} is not active` : 'no webhook for this recipient',
        final: true,
        ...(webhookId ? { webhookId } : {}),
      });
      return;
    }
    await this.limiter.take('webhook');
    const now = new Date();
    let target: CheckedTarget;
    try {
      target = await this.targets.check(webhook.url);
    } catch (error) {
      if (!(error instanceof WebhookTargetError)) throw error;
      await this.webhooks.recordFailure(webhookId, error.message, now);
      if (error.problem === 'unresolvable') {
        return this.retryOrGiveUp(delivery, webhookId, attempt, 'unreachable', error.message, now);
      }
      // Refused now (its host moved to a private address, or the allow-list shrank): no retry can mend it.
      await this.deliveries.record(deliveryId, {
        kind: 'failed',
        attempt,
        reason: 'refused-target',
        error: error.message,
        final: true,
        refused: true,
        webhookId,
      });
      this.logger.warn({ msg: 'webhook target refused', deliveryId, webhookId, error: error.message });
      return;
    }
    const payload: WebhookBody = {
      deliveryId,
      template: delivery.template,
      title: delivery.title,
      body: delivery.body,
      data: delivery.data,
      createdAt: new Date(delivery.createdAt).toISOString(),
    };
    const raw = JSON.stringify(payload);
    let status: number;
    try {
      status = await postWebhook(
        target,
        raw,
        webhookHeaders(webhook.secret, deliveryId, raw, now),
        config.WEBHOOK_TIMEOUT_MS,
      );
    } catch (error) {
      if (!(error instanceof WebhookCallError)) throw error;
      await this.webhooks.recordFailure(webhookId, error.message, new Date());
      return this.retryOrGiveUp(delivery, webhookId, attempt, error.reason, error.message, now);
    }
    const outcome = outcomeOfStatus(status);
    if (outcome === 'sent') {
      await this.webhooks.recordSuccess(webhookId, new Date());
      await this.deliveries.record(deliveryId, { kind: 'sent', attempt, webhookId });
      return;
    }
    const error = `HTTP ${status}${outcome === 'rejected' && status < 400 ? ' (redirects are not followed)' : ''}`;
    await this.webhooks.recordFailure(webhookId, error, new Date());
    if (outcome === 'rejected') {
      await this.deliveries.record(deliveryId, {
        kind: 'failed',
        attempt,
        reason: 'rejected',
        error,
        final: true,
        webhookId,
      });
      return;
    }
    return this.retryOrGiveUp(
      delivery,
      webhookId,
      attempt,
      status === 429 ? 'rate-limited' : 'unreachable',
      error,
      now,
    );
  }

  /** A failure a later try may mend: recorded with the time of the next try, then thrown; the last one is final. */
  private async retryOrGiveUp(
    delivery: OpenDelivery,
    webhookId: string,
    attempt: number,
    reason: FailureReason,
    error: string,
    now: Date,
  ): Promise<void> {
    const final = isLastAttempt(attempt, config.WEBHOOK_ATTEMPTS);
    await this.deliveries.record(delivery._id, {
      kind: 'failed',
      attempt,
      reason,
      error,
      final,
      webhookId,
      ...(final
        ? {}
        : { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempt, config.WEBHOOK_BACKOFF_MS)) }),
    });
    if (final) {
      this.logger.warn({
        msg: 'webhook delivery failed for good',
        deliveryId: delivery._id,
        webhookId,
        attempt,
        error,
      });
      return;
    }
    throw new RetryLaterError(`webhook ${webhookId}: ${error}`);
  }

  private async webhookIdOfContact(contactId: string): Promise<string | undefined> {
    const contact = await this.contacts
      .findOne({ _id: contactId }, { webhookId: 1 })
      .lean<ContactDocument>()
      .exec();
    return contact?.webhookId ?? undefined;
  }
}
