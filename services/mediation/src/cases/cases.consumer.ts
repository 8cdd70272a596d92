// The events mediation reacts to: resident-requests' dispute tickets (ticket.triaged keeps the priority,
// ticket.routed to mediation opens the case), and dispatch's answers about the cases' jobs (`<caseId>-M<n>`; other
// services' jobs pass through untouched).
import {
  jobAccepted,
  jobCancelled,
  jobEscalated,
  ticketRouted,
  ticketTriaged,
  type CloudEvent,
  type EventData,
} from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { CasesService } from './cases.service';

@Injectable()
export class CasesConsumer {
  constructor(private readonly cases: CasesService) {}

  @OnEvent(ticketTriaged)
  async onTicketTriaged(event: CloudEvent<EventData<typeof ticketTriaged>>): Promise<void> {
    await this.cases.rememberTicketPriority(event);
  }

  @OnEvent(ticketRouted)
  async onTicketRouted(event: CloudEvent<EventData<typeof ticketRouted>>): Promise<void> {
    await this.cases.openFromTicket(event);
  }

  @OnEvent(jobAccepted)
  async onJobAccepted(event: CloudEvent<EventData<typeof jobAccepted>>): Promise<void> {
    await this.cases.onJobAccepted(event);
  }

  @OnEvent(jobEscalated)
  async onJobEscalated(event: CloudEvent<EventData<typeof jobEscalated>>): Promise<void> {
    await this.cases.onJobEscalated(event);
  }

  @OnEvent(jobCancelled)
  async onJobCancelled(event: CloudEvent<EventData<typeof jobCancelled>>): Promise<void> {
    await this.cases.onJobCancelled(event);
  }
}
