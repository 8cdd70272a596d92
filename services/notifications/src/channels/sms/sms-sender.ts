// Sends one SMS delivery (the processor of NotificationJobs.smsSend): the phone read from the contact at send time
// (it is never copied onto the delivery nor into Redis), the text handed to the configured adapter within the
// channel's rate, and the try recorded with its event. A contact without a phone fails at once (no-channel); a
// gateway refusal is final; other errors are retried with backoff until SMS_ATTEMPTS.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { config } from '../../config';
import type { ContactDocument } from '../../contacts/contact.schema';
import { CONTACT_MODEL } from '../../models';
import { ChannelDeliveriesRepository } from '../channel-deliveries.repository';
import { ChannelRateLimiter } from '../channel-rate.limiter';
import { isLastAttempt, retryDelayMs } from '../webhooks/webhook.rules';
import { RetryLaterError } from '../retry-later.error';
import { SMS_ADAPTER, SmsRejectedError, type SmsAdapter } from './sms.adapter';

@Injectable()
export class SmsSender {
  private readonly logger = new Logger(SmsSender.name);

  constructor(
    private readonly deliveries: ChannelDeliveriesRepository,
    private readonly limiter: ChannelRateLimiter,
    @Inject(SMS_ADAPTER) private readonly adapter: SmsAdapter,
    @InjectModel(CONTACT_MODEL) private readonly contacts: Model<ContactDocument>,
  ) {}

  async send(deliveryId: string, attempt: number): Promise<void> {
    const delivery = await this.deliveries.findOpen(deliveryId);
    if (!delivery) return;
    const contact = await this.contacts
      .findOne({ _id: delivery.recipientId }, { phone: 1, active: 1 })
      .lean<ContactDocument>()
      .exec();
    if (!contact?.phone || contact.active === false) {
      await this.deliveries.record(deliveryId, {
        kind: 'failed',
        attempt,
        reason: 'no-channel',
        error: contact ? 'the contact has no phone (or is inactive)' : 'no contact for this recipient',
        final: true,
      });
      return;
    }
    await this.limiter.take('sms');
    const now = new Date();
    try {
      await this.adapter.send({
        deliveryId,
        to: contact.phone,
        text: `${delivery.title}\n${delivery.body}`,
        contactId: delivery.recipientId,
        jurisdiction: delivery.jurisdiction,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const rejected = error instanceof SmsRejectedError;
      const final = rejected || isLastAttempt(attempt, config.SMS_ATTEMPTS);
      await this.deliveries.record(deliveryId, {
        kind: 'failed',
        attempt,
        reason: rejected ? 'rejected' : 'unreachable',
        error: message,
        final,
        ...(final
          ? {}
          : { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempt, config.SMS_BACKOFF_MS)) }),
      });
      // The adapter's message names no phone (its contract); the log names the delivery only.
      this.logger.warn({
        msg: 'sms not sent',
        deliveryId,
        adapter: this.adapter.name,
        attempt,
        final,
        error: message,
      });
      if (final) return;
      throw new RetryLaterError(`sms: ${message}`);
    }
    await this.deliveries.record(deliveryId, { kind: 'sent', attempt });
  }
}
