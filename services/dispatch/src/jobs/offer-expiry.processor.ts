// The timer of an offer not answered in time (Bull, with its record in MongoDB).
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { DispatchJobs } from '../scheduling.jobs';
import { JobsService } from './jobs.service';

type OfferExpiryPayload = { jobId: string; offerId: string };

@ScheduledJobProcessor(DispatchJobs.offerExpiry)
export class OfferExpiryProcessor implements ScheduledJobHandler<OfferExpiryPayload> {
  constructor(private readonly jobs: JobsService) {}

  run({ payload }: ScheduledWorkContext<OfferExpiryPayload>): Promise<void> {
    return this.jobs.expireOffer(payload.jobId, payload.offerId);
  }
}
