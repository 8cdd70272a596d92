// Dispatch's job events about visits' jobs (`<visitId>-J<attempt>`); other services' jobs pass through untouched.
import { type CloudEvent, type EventData, jobAccepted, jobCancelled, jobEscalated } from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { VisitTimeline } from './visit-timeline.service';

@Injectable()
export class VisitsConsumer {
  constructor(private readonly timeline: VisitTimeline) {}

  @OnEvent(jobAccepted)
  async onAccepted(event: CloudEvent<EventData<typeof jobAccepted>>): Promise<void> {
    await this.timeline.onJobAccepted(event);
  }

  @OnEvent(jobEscalated)
  async onEscalated(event: CloudEvent<EventData<typeof jobEscalated>>): Promise<void> {
    await this.timeline.onJobEscalated(event);
  }

  @OnEvent(jobCancelled)
  async onCancelled(event: CloudEvent<EventData<typeof jobCancelled>>): Promise<void> {
    await this.timeline.onJobCancelled(event);
  }
}
