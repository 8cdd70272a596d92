// The two deadlines of an alert message's chase (scheduling.jobs.ts): the re-send at acknowledgeBy, the end of the
// second chance ALERT_RESEND_WINDOW_MS later. Set by AlertMessagesService; the effect is ChaseService's.
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { EmergencyJobs } from '../scheduling.jobs';
import { ChaseService } from './chase.service';

type Payload = { alertId: string; sequence: number };

@ScheduledJobProcessor(EmergencyJobs.alertAcknowledgeBy)
export class AlertAcknowledgeByProcessor implements ScheduledJobHandler<Payload> {
  constructor(private readonly chase: ChaseService) {}

  run({ payload }: ScheduledWorkContext<Payload>): Promise<void> {
    return this.chase.resendDue(payload.alertId, payload.sequence);
  }
}

@ScheduledJobProcessor(EmergencyJobs.alertSilentAfter)
export class AlertSilentAfterProcessor implements ScheduledJobHandler<Payload> {
  constructor(private readonly chase: ChaseService) {}

  run({ payload }: ScheduledWorkContext<Payload>): Promise<void> {
    return this.chase.silentDue(payload.alertId, payload.sequence);
  }
}
