// The processors of the SMS and webhook send jobs (scheduling.jobs.ts): one job per delivery, keyed by its id.
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { NotificationJobs } from '../scheduling.jobs';
import { SmsSender } from './sms/sms-sender';
import { WebhookSender } from './webhooks/webhook-sender';

type Payload = { deliveryId: string };

@ScheduledJobProcessor(NotificationJobs.smsSend)
export class SmsSendProcessor implements ScheduledJobHandler<Payload> {
  constructor(private readonly sender: SmsSender) {}

  run({ payload, attempt }: ScheduledWorkContext<Payload>): Promise<void> {
    return this.sender.send(payload.deliveryId, attempt);
  }
}

@ScheduledJobProcessor(NotificationJobs.webhookSend)
export class WebhookSendProcessor implements ScheduledJobHandler<Payload> {
  constructor(private readonly sender: WebhookSender) {}

  run({ payload, attempt }: ScheduledWorkContext<Payload>): Promise<void> {
    return this.sender.send(payload.deliveryId, attempt);
  }
}
