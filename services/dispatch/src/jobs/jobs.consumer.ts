// The events dispatch reacts to: work requested by the domain services, their cancellations, and the progress
// of work done through a domain service's own API.
import {
  type CloudEvent,
  type EventData,
  jobCancellationRequested,
  jobProgressReported,
  jobRequested,
} from '@linli/contracts';
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

  @OnEvent(jobProgressReported)
  async onProgressReported(event: CloudEvent<EventData<typeof jobProgressReported>>): Promise<void> {
    await this.jobs.progressReported(event);
  }
}
