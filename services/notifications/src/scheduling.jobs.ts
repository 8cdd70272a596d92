// Every queue and job name of notifications, here only. Renaming one strands the jobs already waiting under the
// old name: Bull never hands them to the renamed processor (see libs/scheduling/README.md).
import { defineScheduledJob } from '@linli/scheduling';

export const NotificationJobs = {
  /** Send one queued SMS delivery through the SMS adapter. Key: delivery id. Retried with backoff. */
  smsSend: defineScheduledJob<{ deliveryId: string }>({ queue: 'notifications-sms', name: 'sms-send' }),
  /** POST one queued webhook delivery, HMAC-signed. Key: delivery id. Retried with backoff. */
  webhookSend: defineScheduledJob<{ deliveryId: string }>({
    queue: 'notifications-webhook',
    name: 'webhook-send',
  }),
};
