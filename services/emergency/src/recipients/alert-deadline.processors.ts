// The two deadlines of an alert message's chase (scheduling.jobs.ts). SKELETON: the recipients piece of issue 6
// replaces the bodies; until then nothing schedules these jobs.
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { EmergencyJobs } from '../scheduling.jobs';

type Payload = { alertId: string; sequence: number };

@ScheduledJobProcessor(EmergencyJobs.alertAcknowledgeBy)
export class AlertAcknowledgeByProcessor implements ScheduledJobHandler<Payload> {
  async run(_context: ScheduledWorkContext<Payload>): Promise<void> {
    throw new Error('not built yet');
  }
}

@ScheduledJobProcessor(EmergencyJobs.alertSilentAfter)
export class AlertSilentAfterProcessor implements ScheduledJobHandler<Payload> {
  async run(_context: ScheduledWorkContext<Payload>): Promise<void> {
    throw new Error('not built yet');
  }
}
