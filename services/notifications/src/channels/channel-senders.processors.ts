// The senders of the SMS and webhook channels (scheduling.jobs.ts). SKELETON: the channels piece of issue 6
// replaces the bodies; until then nothing schedules these jobs.
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { NotificationJobs } from '../scheduling.jobs';

type Payload = { deliveryId: string };

@ScheduledJobProcessor(NotificationJobs.smsSend)
export class SmsSendProcessor implements ScheduledJobHandler<Payload> {
  async run(_context: ScheduledWorkContext<Payload>): Promise<void> {
    throw new Error('not built yet');
  }
}

@ScheduledJobProcessor(NotificationJobs.webhookSend)
export class WebhookSendProcessor implements ScheduledJobHandler<Payload> {
  async run(_context: ScheduledWorkContext<Payload>): Promise<void> {
    throw new Error('not built yet');
  }
}
