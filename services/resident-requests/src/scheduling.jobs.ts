// Every queue and job name of resident-requests, here only. Renaming one strands the jobs already waiting under
// the old name: Bull never hands them to the renamed processor (see libs/scheduling/README.md).
import { defineScheduledJob } from '@linli/scheduling';

export const RequestJobs = {
  /** A service-level deadline of a ticket (key: ticket, accept|resolve, the deadlines' revision). */
  serviceLevelDeadline: defineScheduledJob<{ ticketId: string; kind: string; revision: number }>({
    queue: 'resident-requests',
    name: 'service-level-deadline',
  }),
  /** A call-back (回访) falls due (key: ticket, resolution round, attempt). */
  callbackDue: defineScheduledJob<{ ticketId: string; round: number; attempt: number }>({
    queue: 'resident-requests',
    name: 'callback-due',
  }),
};
