// Every queue and job name of mediation, here only. Renaming one strands the jobs already waiting under the old
// name: Bull never hands them to the renamed processor (see libs/scheduling/README.md).
import { defineScheduledJob } from '@linli/scheduling';

export const MediationJobs = {
  /**
   * A case's time limit has come: escalate it one level up unless it has its outcome. Key: case id and the limit's
   * time in ms (cases/case-timers.ts timeLimitKey): each limit (the opening's, an extension's, a reopening's) has
   * its own job, since a job that ran cannot be moved. The processor decides from the case, not the key.
   */
  caseTimeLimit: defineScheduledJob<{ caseId: string }>({
    queue: 'mediation-cases',
    name: 'case-time-limit',
  }),
  /** A reminder before a session. Key: case id, session id, lead in minutes. */
  sessionReminder: defineScheduledJob<{ caseId: string; sessionId: string; leadMinutes: number }>({
    queue: 'mediation-sessions',
    name: 'session-reminder',
  }),
  /** A follow-up visit after an agreement is due. Key: case id, follow-up id. */
  followUpDue: defineScheduledJob<{ caseId: string; followUpId: string }>({
    queue: 'mediation-cases',
    name: 'follow-up-due',
  }),
};
