// The timers of follow-up visits: set, withdrawn, and ensured for every waiting follow-up at start-up.
import { Scheduler } from '@linli/scheduling';
import { Injectable } from '@nestjs/common';
import type { CaseState, FollowUp } from '../cases/case.rules';
import { MediationJobs } from '../scheduling.jobs';

@Injectable()
export class FollowUpTimers {
  constructor(private readonly scheduler: Scheduler) {}

  /** Timers for new follow-ups, for a draft's timers. */
  schedule(caseId: string, followUps: readonly FollowUp[]): Array<() => Promise<unknown>> {
    return followUps.map((followUp) => () => this.scheduleOne(caseId, followUp));
  }

  /** Withdraws the timers of follow-ups called off, for a draft's timers. */
  cancel(caseId: string, followUps: readonly FollowUp[]): Array<() => Promise<unknown>> {
    return followUps.map(
      (followUp) => () => this.scheduler.cancel(MediationJobs.followUpDue, [caseId, followUp.followUpId]),
    );
  }

  /** Every follow-up still scheduled of an agreed case has its timer (idempotent by job id). */
  async ensure(state: CaseState): Promise<void> {
    if (state.status !== 'agreed') return;
    for (const followUp of state.followUps) {
      if (followUp.status === 'scheduled') await this.scheduleOne(state.caseId, followUp);
    }
  }

  private scheduleOne(caseId: string, followUp: FollowUp) {
    return this.scheduler.schedule(MediationJobs.followUpDue, {
      key: [caseId, followUp.followUpId],
      dueAt: followUp.dueAt,
      payload: { caseId, followUpId: followUp.followUpId },
    });
  }
}
