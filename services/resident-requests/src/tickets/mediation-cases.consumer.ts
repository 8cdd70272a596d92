// mediation's case events (人民调解) that a ticket routed to mediation follows: its holder, its resolution by the
// case's outcome or withdrawal, a note when the case reopens. Cases without a ticket are ignored.
import {
  caseAssigned,
  caseClosed,
  caseMediatorReleased,
  caseReopened,
  outcomeRecorded,
  type CloudEvent,
  type EventData,
} from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { TicketsService } from './tickets.service';

@Injectable()
export class MediationCasesConsumer {
  constructor(private readonly tickets: TicketsService) {}

  @OnEvent(caseAssigned)
  async onAssigned(event: CloudEvent<EventData<typeof caseAssigned>>): Promise<void> {
    await this.tickets.onCaseEvent(event, { kind: 'assigned', data: event.data });
  }

  @OnEvent(caseMediatorReleased)
  async onMediatorReleased(event: CloudEvent<EventData<typeof caseMediatorReleased>>): Promise<void> {
    await this.tickets.onCaseEvent(event, { kind: 'mediator-released', data: event.data });
  }

  @OnEvent(outcomeRecorded)
  async onOutcomeRecorded(event: CloudEvent<EventData<typeof outcomeRecorded>>): Promise<void> {
    await this.tickets.onCaseEvent(event, { kind: 'outcome', data: event.data });
  }

  @OnEvent(caseClosed)
  async onClosed(event: CloudEvent<EventData<typeof caseClosed>>): Promise<void> {
    await this.tickets.onCaseEvent(event, { kind: 'closed', data: event.data });
  }

  @OnEvent(caseReopened)
  async onReopened(event: CloudEvent<EventData<typeof caseReopened>>): Promise<void> {
    await this.tickets.onCaseEvent(event, { kind: 'reopened', data: event.data });
  }
}
