// Dispatch's job events, which move a ticket whose current job they are about (others are ignored).
import {
  type CloudEvent,
  type EventData,
  jobAccepted,
  jobCancelled,
  jobCompleted,
  jobDeclined,
  jobEscalated,
  jobExpired,
  jobStarted,
} from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { TicketsService } from './tickets.service';

@Injectable()
export class TicketsConsumer {
  constructor(private readonly tickets: TicketsService) {}

  @OnEvent(jobAccepted)
  async onAccepted(event: CloudEvent<EventData<typeof jobAccepted>>): Promise<void> {
    await this.tickets.onJobAccepted(event);
  }

  @OnEvent(jobStarted)
  async onStarted(event: CloudEvent<EventData<typeof jobStarted>>): Promise<void> {
    await this.tickets.onJobStarted(event);
  }

  @OnEvent(jobCompleted)
  async onCompleted(event: CloudEvent<EventData<typeof jobCompleted>>): Promise<void> {
    await this.tickets.onJobCompleted(event);
  }

  @OnEvent(jobEscalated)
  async onEscalated(event: CloudEvent<EventData<typeof jobEscalated>>): Promise<void> {
    await this.tickets.onJobEscalated(event);
  }

  @OnEvent(jobExpired)
  async onExpired(event: CloudEvent<EventData<typeof jobExpired>>): Promise<void> {
    await this.tickets.onOfferLapsed(event, 'expired');
  }

  @OnEvent(jobDeclined)
  async onDeclined(event: CloudEvent<EventData<typeof jobDeclined>>): Promise<void> {
    await this.tickets.onOfferLapsed(event, 'declined');
  }

  @OnEvent(jobCancelled)
  async onCancelled(event: CloudEvent<EventData<typeof jobCancelled>>): Promise<void> {
    await this.tickets.onJobCancelled(event);
  }
}
