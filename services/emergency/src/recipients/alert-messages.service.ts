// Each message of an alert, as the alert stream tells it: recorded with its deadlines, its chase's two timers set
// (the re-send at acknowledgeBy, the end of the second chance ALERT_RESEND_WINDOW_MS later), and the chase of an
// earlier message ended when a later one takes it over or cancels the alert.
import type { CloudEvent, EventData, alertIssued } from '@linli/contracts';
import { Scheduler } from '@linli/scheduling';
import { Injectable, Logger } from '@nestjs/common';
import { config } from '../config';
import { EmergencyJobs } from '../scheduling.jobs';
import { isIssued } from './alert-facts';
import { AlertMessagesRepository } from './alert-messages.repository';
import { stopByLater } from './recipient.rules';
import type { AlertMessageDocument } from './recipient.schemas';

type Stop = { supersededBy?: number; cancelledAt?: Date };

@Injectable()
export class AlertMessagesService {
  private readonly logger = new Logger(AlertMessagesService.name);

  constructor(
    private readonly messages: AlertMessagesRepository,
    private readonly scheduler: Scheduler,
  ) {}

  /** alert.issued, idempotent: a redelivery records the same values and finds its timers set. */
  async onIssued(event: CloudEvent<EventData<typeof alertIssued>>): Promise<void> {
    const data = event.data;
    const sentAt = new Date(event.time);
    const incoming = {
      sequence: data.sequence,
      messageType: data.messageType,
      ...(data.acknowledgeBy ? { acknowledgeBy: new Date(data.acknowledgeBy) } : {}),
    };
    const others = (await this.messages.ofAlert(data.alertId)).filter(
      (message) => message.sequence !== data.sequence && isIssued(message),
    );

    // A later message seen first (a message retried from the dead letters) has ended this one's chase already.
    let stop: Stop | undefined;
    for (const later of others) {
      const reason = stopByLater(incoming, later);
      if (reason === 'cancelled') stop = { ...stop, cancelledAt: new Date(later.sentAt) };
      else if (reason === 'superseded' && stop?.supersededBy === undefined)
        stop = { ...stop, supersededBy: later.sequence };
    }
    await this.messages.record(event, this.issuedAt(data.sequence, sentAt, others), stop);

    for (const earlier of others) await this.stopEarlier(earlier, incoming, sentAt);

    if (!stop && incoming.acknowledgeBy && data.messageType !== 'cancel')
      await this.arm(data.alertId, data.sequence, incoming.acknowledgeBy);
  }

  /** The alert's first issue time: this message's if it is the first, else the earliest seen. */
  private issuedAt(sequence: number, sentAt: Date, others: readonly AlertMessageDocument[]): Date {
    const first = others.find((message) => message.sequence === 1);
    if (sequence === 1 || !first) {
      const earliest = Math.min(
        sentAt.getTime(),
        ...others.map((message) => new Date(message.issuedAt).getTime()),
      );
      return new Date(earliest);
    }
    return new Date(first.issuedAt);
  }

  private async stopEarlier(
    earlier: AlertMessageDocument,
    later: { sequence: number; messageType: AlertMessageDocument['messageType']; acknowledgeBy?: Date },
    sentAt: Date,
  ): Promise<void> {
    const reason = stopByLater(earlier, later);
    if (!reason) return;
    const stopped = earlier.cancelledAt !== undefined || earlier.supersededBy !== undefined;
    if (reason === 'cancelled' && earlier.cancelledAt) return;
    if (reason === 'superseded' && stopped) return;
    // The record first: a timer that runs before it is withdrawn reads it and does nothing.
    await this.messages.stop(
      earlier.alertId,
      earlier.sequence,
      reason === 'cancelled' ? { cancelledAt: sentAt } : { supersededBy: later.sequence },
    );
    // A message stopped before had its timers withdrawn then.
    if (!earlier.acknowledgeBy || stopped) return;
    await this.scheduler.cancel(EmergencyJobs.alertAcknowledgeBy, [earlier.alertId, earlier.sequence]);
    await this.scheduler.cancel(EmergencyJobs.alertSilentAfter, [earlier.alertId, earlier.sequence]);
    this.logger.log({
      msg: `alert message chase ${reason}`,
      alertId: earlier.alertId,
      sequence: earlier.sequence,
    });
  }

  private async arm(alertId: string, sequence: number, acknowledgeBy: Date): Promise<void> {
    const payload = { alertId, sequence };
    await this.scheduler.schedule(EmergencyJobs.alertAcknowledgeBy, {
      key: [alertId, sequence],
      dueAt: acknowledgeBy,
      payload,
    });
    await this.scheduler.schedule(EmergencyJobs.alertSilentAfter, {
      key: [alertId, sequence],
      dueAt: new Date(acknowledgeBy.getTime() + config.ALERT_RESEND_WINDOW_MS),
      payload,
    });
  }
}
