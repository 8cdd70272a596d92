// The events dispatch reacts to: work requested by the domain services, and their cancellations.
import { type CloudEvent, type EventData, jobCancellationRequested, jobRequested } from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { JobsService } from './jobs.service';

@Injectable()
export class JobsConsumer {
  constructor(private readonly jobs: JobsService) {}

  @OnEvent(jobRequested)
  async onJobRequested(event: CloudEvent<EventData<typeof jobRequested>>): Promise<void> {
    await this.jobs.request(event);
  }

  @OnEvent(jobCancellationRequested)
  async onCancellationRequested(
    event: CloudEvent<EventData<typeof jobCancellationRequested>>,
  ): Promise<void> {
    await this.jobs.cancellationRequested(event);
  }
}
