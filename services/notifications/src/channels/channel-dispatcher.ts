// How deliveries/ hands SMS and webhook deliveries to their senders: one send job per delivery (job key = delivery
// id, due now), scheduled in one batch per channel. Scheduling a delivery again is a no-op (same job id).
import { Scheduler } from '@linli/scheduling';
import { Injectable } from '@nestjs/common';
import { NotificationJobs } from '../scheduling.jobs';

export interface ChannelDelivery {
  deliveryId: string;
  channel: 'sms' | 'webhook';
}

@Injectable()
export class ChannelDispatcher {
  constructor(private readonly scheduler: Scheduler) {}

  async enqueue(deliveries: readonly ChannelDelivery[]): Promise<void> {
    const now = new Date();
    for (const channel of ['sms', 'webhook'] as const) {
      const ids = deliveries.filter((delivery) => delivery.channel === channel).map((d) => d.deliveryId);
      if (ids.length === 0) continue;
      const job = channel === 'sms' ? NotificationJobs.smsSend : NotificationJobs.webhookSend;
      await this.scheduler.scheduleMany(
        job,
        ids.map((deliveryId) => ({ key: [deliveryId], dueAt: now, payload: { deliveryId } })),
      );
    }
  }
}
