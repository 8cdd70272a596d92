// The timer of a case's time limit: escalated one level up when it passed without an outcome (CasesService).
import {
  ScheduledJobProcessor,
  type ScheduledJobHandler,
  type ScheduledWorkContext,
} from '@linli/scheduling';
import { MediationJobs } from '../scheduling.jobs';
import { CasesService } from './cases.service';

type CaseTimeLimitPayload = { caseId: string };

@ScheduledJobProcessor(MediationJobs.caseTimeLimit)
export class CaseTimeLimitProcessor implements ScheduledJobHandler<CaseTimeLimitPayload> {
  constructor(private readonly cases: CasesService) {}

  run({ payload, dueAt }: ScheduledWorkContext<CaseTimeLimitPayload>): Promise<void> {
    return this.cases.timeLimitDue(payload.caseId, dueAt);
  }
}
