// The events welfare checks react to: elder-care's elders (who is vulnerable, where), emergency's own incidents
// (declared and updated: the sweep; closed: the open checks withdrawn), and dispatch's answers about the checks'
// jobs (`<incidentId>-W-<elderId>`; other services' jobs pass through untouched).
import {
  elderRegistered,
  elderUpdated,
  incidentClosed,
  incidentDeclared,
  incidentUpdated,
  jobAccepted,
  jobCancelled,
  jobCompleted,
  jobEscalated,
  type CloudEvent,
  type EventData,
} from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { WelfareService } from './welfare.service';

@Injectable()
export class WelfareConsumer {
  constructor(private readonly welfare: WelfareService) {}

  @OnEvent(elderRegistered)
  async onElderRegistered(event: CloudEvent<EventData<typeof elderRegistered>>): Promise<void> {
    await this.welfare.onElder(event);
  }

  @OnEvent(elderUpdated)
  async onElderUpdated(event: CloudEvent<EventData<typeof elderUpdated>>): Promise<void> {
    await this.welfare.onElder(event);
  }

  @OnEvent(incidentDeclared)
  async onIncidentDeclared(event: CloudEvent<EventData<typeof incidentDeclared>>): Promise<void> {
    await this.welfare.onIncidentDeclared(event);
  }

  @OnEvent(incidentUpdated)
  async onIncidentUpdated(event: CloudEvent<EventData<typeof incidentUpdated>>): Promise<void> {
    await this.welfare.onIncidentUpdated(event);
  }

  @OnEvent(incidentClosed)
  async onIncidentClosed(event: CloudEvent<EventData<typeof incidentClosed>>): Promise<void> {
    await this.welfare.onIncidentClosed(event);
  }

  @OnEvent(jobAccepted)
  async onJobAccepted(event: CloudEvent<EventData<typeof jobAccepted>>): Promise<void> {
    const { jobId, version, providerId } = event.data;
    await this.welfare.onJob(jobId, version, 'accepted', providerId);
  }

  @OnEvent(jobEscalated)
  async onJobEscalated(event: CloudEvent<EventData<typeof jobEscalated>>): Promise<void> {
    await this.welfare.onJob(event.data.jobId, event.data.version, 'escalated');
  }

  @OnEvent(jobCancelled)
  async onJobCancelled(event: CloudEvent<EventData<typeof jobCancelled>>): Promise<void> {
    await this.welfare.onJob(event.data.jobId, event.data.version, 'cancelled');
  }

  @OnEvent(jobCompleted)
  async onJobCompleted(event: CloudEvent<EventData<typeof jobCompleted>>): Promise<void> {
    await this.welfare.onJob(event.data.jobId, event.data.version, 'completed', event.data.providerId);
  }
}
