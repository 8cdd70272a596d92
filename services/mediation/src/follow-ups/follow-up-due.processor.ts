// The timer of a follow-up visit after an agreement (see FollowUpsService.due).
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { MediationJobs } from '../scheduling.jobs';
import { FollowUpsService } from './follow-ups.service';

type FollowUpDuePayload = { caseId: string; followUpId: string };

@ScheduledJobProcessor(MediationJobs.followUpDue)
export class FollowUpDueProcessor implements ScheduledJobHandler<FollowUpDuePayload> {
  constructor(private readonly followUps: FollowUpsService) {}

  run({ payload }: ScheduledWorkContext<FollowUpDuePayload>): Promise<void> {
    return this.followUps.due(payload.caseId, payload.followUpId);
  }
}
