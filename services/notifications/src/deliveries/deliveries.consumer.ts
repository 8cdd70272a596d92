// The events notifications tells people about: emergency's alerts (broadcast, re-sent, escalated) and the other
// services' events of the routing table.
import {
  alertEscalated,
  alertIssued,
  alertResendRequested,
  caseEscalated,
  elderEscalated,
  followUpDue,
  jobEscalated,
  jobOffered,
  sessionReminderDue,
  ticketCallbackDue,
  ticketEscalated,
  type CloudEvent,
  type EventData,
} from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { BroadcastsService } from './broadcasts.service';
import { MessagesService } from './messages.service';

@Injectable()
export class DeliveriesConsumer {
  constructor(
    private readonly broadcasts: BroadcastsService,
    private readonly messages: MessagesService,
  ) {}

  @OnEvent(alertIssued)
  async onAlertIssued(event: CloudEvent<EventData<typeof alertIssued>>): Promise<void> {
    await this.broadcasts.broadcast(event);
  }

  @OnEvent(alertResendRequested)
  async onAlertResendRequested(event: CloudEvent<EventData<typeof alertResendRequested>>): Promise<void> {
    await this.broadcasts.resend(event);
  }

  @OnEvent(alertEscalated)
  async onAlertEscalated(event: CloudEvent<EventData<typeof alertEscalated>>): Promise<void> {
    await this.broadcasts.escalate(event);
  }

  @OnEvent(jobOffered)
  async onJobOffered(event: CloudEvent<EventData<typeof jobOffered>>): Promise<void> {
    await this.messages.tell(event);
  }

  @OnEvent(jobEscalated)
  async onJobEscalated(event: CloudEvent<EventData<typeof jobEscalated>>): Promise<void> {
    await this.messages.tell(event);
  }

  @OnEvent(ticketCallbackDue)
  async onTicketCallbackDue(event: CloudEvent<EventData<typeof ticketCallbackDue>>): Promise<void> {
    await this.messages.tell(event);
  }

  @OnEvent(ticketEscalated)
  async onTicketEscalated(event: CloudEvent<EventData<typeof ticketEscalated>>): Promise<void> {
    await this.messages.tell(event);
  }

  @OnEvent(caseEscalated)
  async onCaseEscalated(event: CloudEvent<EventData<typeof caseEscalated>>): Promise<void> {
    await this.messages.tell(event);
  }

  @OnEvent(elderEscalated)
  async onElderEscalated(event: CloudEvent<EventData<typeof elderEscalated>>): Promise<void> {
    await this.messages.tell(event);
  }

  @OnEvent(sessionReminderDue)
  async onSessionReminderDue(event: CloudEvent<EventData<typeof sessionReminderDue>>): Promise<void> {
    await this.messages.tell(event);
  }

  @OnEvent(followUpDue)
  async onFollowUpDue(event: CloudEvent<EventData<typeof followUpDue>>): Promise<void> {
    await this.messages.tell(event);
  }
}
