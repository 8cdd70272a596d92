// Every queue and job name of elder-care, here only. Renaming one strands the jobs already waiting under the old
// name: Bull never hands them to the renamed processor (see libs/scheduling/README.md).
import { defineScheduledJob } from '@linli/scheduling';

export const ElderCareJobs = {
  /** A visit's lead time before it is due has come: hand it to dispatch. Key: the visit id. */
  visitDispatch: defineScheduledJob<{ visitId: string }>({
    queue: 'elder-care-visits',
    name: 'visit-dispatch',
  }),
  /** The grace period after a dispatch's deadline is over: missed unless checked in. Key: visit id, attempt. */
  visitMissed: defineScheduledJob<{ visitId: string; attempt: number }>({
    queue: 'elder-care-visits',
    name: 'visit-missed',
  }),
  /** Once a day: extend every plan's visits to the rolling horizon. Key: the local date (YYYY-MM-DD). */
  visitHorizon: defineScheduledJob<{ date: string }>({ queue: 'elder-care', name: 'visit-horizon' }),
};
