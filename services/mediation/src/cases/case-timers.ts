// The time-limit timer of a case (MediationJobs.caseTimeLimit), for every module that sets, moves or ends a limit:
// opening, extension, reopening, outcome, withdrawal, and the start-up reconciliation. One job per limit, keyed by
// the case and the limit's time, so an extension after a breach (whose job has run and cannot be moved) still arms
// a timer; the processor escalates only when the case's current limit has passed and has not escalated yet.
import { Scheduler } from '@linli/scheduling';
import { Injectable } from '@nestjs/common';
import { MediationJobs } from '../scheduling.jobs';
import { OPEN_CASE_STATUSES, type CaseState } from './case.rules';

type TimeLimited = Pick<CaseState, 'caseId' | 'timeLimitAt'>;

/** The job key of a case's limit: `[caseId, limit in ms]`. */
export function timeLimitKey(state: TimeLimited): [string, number] {
  return [state.caseId, new Date(state.timeLimitAt).getTime()];
}

@Injectable()
export class CaseTimers {
  constructor(private readonly scheduler: Scheduler) {}

  /** Sets the timer of the case's current limit (idempotent: the same limit is one job). */
  async armTimeLimit(state: TimeLimited): Promise<void> {
    await this.scheduler.schedule(MediationJobs.caseTimeLimit, {
      key: timeLimitKey(state),
      dueAt: new Date(state.timeLimitAt),
      payload: { caseId: state.caseId },
    });
  }

  /** The limit moved (an extension, a reopening): the old limit's timer withdrawn, the new one's set. */
  async moveTimeLimit(caseId: string, previousTimeLimitAt: Date, state: TimeLimited): Promise<void> {
    await this.cancelTimeLimit({ caseId, timeLimitAt: previousTimeLimitAt });
    await this.armTimeLimit(state);
  }

  /** The limit no longer runs (an outcome, a withdrawal). */
  async cancelTimeLimit(state: TimeLimited): Promise<void> {
    await this.scheduler.cancel(MediationJobs.caseTimeLimit, timeLimitKey(state));
  }

  /** What the start-up reconciliation ensures: a case in mediation, without outcome, has its limit's timer. */
  async ensure(state: CaseState): Promise<void> {
    if (state.outcome || !(OPEN_CASE_STATUSES as readonly string[]).includes(state.status)) return;
    await this.armTimeLimit(state);
  }

  /** A follow-up's timer withdrawn (the case withdrawn before it was due). */
  async cancelFollowUp(caseId: string, followUpId: string): Promise<void> {
    await this.scheduler.cancel(MediationJobs.followUpDue, [caseId, followUpId]);
  }
}
