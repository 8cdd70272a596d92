// The events recipients/ reacts to: emergency's own alert.issued (a message and its chase timers), and
// notifications' broadcast batches (who each message reached) and their end (how many).
import {
  alertIssued,
  broadcastCompleted,
  broadcastRecipientsResolved,
  type CloudEvent,
  type EventData,
} from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { AlertMessagesService } from './alert-messages.service';
import { RecipientsService } from './recipients.service';

@Injectable()
export class RecipientsConsumer {
  constructor(
    private readonly messages: AlertMessagesService,
    private readonly recipients: RecipientsService,
  ) {}

  @OnEvent(alertIssued)
  async onAlertIssued(event: CloudEvent<EventData<typeof alertIssued>>): Promise<void> {
    await this.messages.onIssued(event);
  }

  @OnEvent(broadcastRecipientsResolved)
  async onRecipientsResolved(
    event: CloudEvent<EventData<typeof broadcastRecipientsResolved>>,
  ): Promise<void> {
    await this.recipients.recordReached(event);
  }

  @OnEvent(broadcastCompleted)
  async onBroadcastCompleted(event: CloudEvent<EventData<typeof broadcastCompleted>>): Promise<void> {
    await this.recipients.recordCompleted(event);
  }
}
