// Every queue and job name of notifications, here only. Renaming one strands the jobs already waiting under the
// old name: Bull never hands them to the renamed processor (see libs/scheduling/README.md).
import { defineScheduledJob } from '@linli/scheduling';
import { config } from './config';

export const NotificationJobs = {
  /**
   * Send one queued SMS delivery through the SMS adapter. Key: delivery id. Tried SMS_ATTEMPTS times, the first
   * retry SMS_BACKOFF_MS after the first failure, doubling (channels/).
   */
  smsSend: defineScheduledJob<{ deliveryId: string }>({
    queue: 'notifications-sms',
    name: 'sms-send',
    attempts: config.SMS_ATTEMPTS,
    backoffDelayMs: config.SMS_BACKOFF_MS,
  }),
  /** POST one queued webhook delivery, HMAC-signed. Key: delivery id. Tried WEBHOOK_ATTEMPTS times, backoff doubling. */
  webhookSend: defineScheduledJob<{ deliveryId: string }>({
    queue: 'notifications-webhook',
    name: 'webhook-send',
    attempts: config.WEBHOOK_ATTEMPTS,
    backoffDelayMs: config.WEBHOOK_BACKOFF_MS,
  }),
};
