// Every queue and job name of dispatch, here only. Renaming one strands the jobs already waiting under the old
// name: Bull never hands them to the renamed processor (see libs/scheduling/README.md).
import { defineScheduledJob } from '@linli/scheduling';

export const DispatchJobs = {
  /** An offer not answered in time lapses; the job goes to the next candidates. Key: the offer id. */
  offerExpiry: defineScheduledJob<{ jobId: string; offerId: string }>({
    queue: 'dispatch',
    name: 'offer-expiry',
  }),
};
