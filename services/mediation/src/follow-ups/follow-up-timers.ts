// The timers of follow-up visits (and of the time limit a reopening sets): set, withdrawn, and ensured for every
// waiting follow-up at start-up.
import { Scheduler, ScheduledWorkNotFoundError, ScheduledWorkStateError } from '@linli/scheduling';
import { Injectable, Logger } from '@nestjs/common';
import type { CaseState, FollowUp } from '../cases/case.rules';
import { MediationJobs } from '../scheduling.jobs';

@Injectable()
export class FollowUpTimers {
  private readonly logger = new Logger(FollowUpTimers.name);

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

  /** The case's time limit ends: no more escalation for it. */
  async cancelTimeLimit(caseId: string): Promise<void> {
    await this.scheduler.cancel(MediationJobs.caseTimeLimit, [caseId]);
  }

  /**
   * The case's time limit timer set to `at` (a reopening's new limit): the one timer of the case moved, or set when
   * it was never there.
   */
  async armTimeLimit(caseId: string, at: Date): Promise<void> {
    try {
      await this.scheduler.reschedule(MediationJobs.caseTimeLimit, [caseId], at);
    } catch (error) {
      if (error instanceof ScheduledWorkNotFoundError) {
        await this.scheduler.schedule(MediationJobs.caseTimeLimit, {
          key: [caseId],
          dueAt: at,
          payload: { caseId },
        });
      } else if (error instanceof ScheduledWorkStateError) {
        this.logger.warn({ msg: 'time-limit timer not moved', caseId, status: error.status });
      } else {
        throw error;
      }
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
