// At start-up, sets again every timer a waiting case should have — its time limit, its sessions' reminders, its
// follow-up visits — in one pass over the cases: a case is written before its timers are set, so a crash in between
// would otherwise leave them without one. (Bull's own copy of scheduled work is rebuilt from MongoDB by
// libs/scheduling; this covers records never written.) It sits with the sessions because their module sees all
// three kinds of timer.
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CaseTimers } from '../cases/case-timers';
import { CasesRepository } from '../cases/cases.repository';
import { FollowUpTimers } from '../follow-ups/follow-up-timers';
import { SessionTimers } from './session-timers';

const BATCH_SIZE = 500;

@Injectable()
export class CaseTimersReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(CaseTimersReconciler.name);

  constructor(
    private readonly cases: CasesRepository,
    private readonly caseTimers: CaseTimers,
    private readonly sessionTimers: SessionTimers,
    private readonly followUpTimers: FollowUpTimers,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: readiness must not wait for a pass over every open case.
    void this.reconcile().catch((error: unknown) =>
      this.logger.error({ msg: 'case timers not reconciled', error: String(error) }),
    );
  }

  async reconcile(): Promise<number> {
    let count = 0;
    for await (const batch of this.cases.waitingCases(BATCH_SIZE)) {
      for (const state of batch) {
        await this.caseTimers.ensure(state);
        await this.sessionTimers.ensure(state);
        await this.followUpTimers.ensure(state);
      }
      count += batch.length;
    }
    this.logger.log({ msg: 'case timers reconciled', cases: count });
    return count;
  }
}
