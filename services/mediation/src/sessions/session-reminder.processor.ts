// The timer of a reminder before a session (see SessionsService.reminderDue).
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { MediationJobs } from '../scheduling.jobs';
import { SessionsService } from './sessions.service';

type SessionReminderPayload = { caseId: string; sessionId: string; leadMinutes: number };

@ScheduledJobProcessor(MediationJobs.sessionReminder)
export class SessionReminderProcessor implements ScheduledJobHandler<SessionReminderPayload> {
  constructor(private readonly sessions: SessionsService) {}

  run({ jobId, dueAt, payload }: ScheduledWorkContext<SessionReminderPayload>): Promise<void> {
    // The job id and due time say which reminder, and for which time of the session: the payload's lead is there
    // for people reading the queue.
    return this.sessions.reminderDue(payload.caseId, payload.sessionId, { jobId, dueAt: new Date(dueAt) });
  }
}
