// At start-up, sets again the timers every waiting session reminder and follow-up visit should have: a case is
// written before its timers are set, so a crash in between would otherwise leave them without one. (Bull's own copy
// of scheduled work is rebuilt from MongoDB by libs/scheduling; this covers records never written.)
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CasesRepository } from '../cases/cases.repository';
import { FollowUpTimers } from '../follow-ups/follow-up-timers';
import { SessionTimers } from './session-timers';

const BATCH_SIZE = 500;

@Injectable()
export class SessionTimersReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(SessionTimersReconciler.name);

  constructor(
    private readonly cases: CasesRepository,
    private readonly sessionTimers: SessionTimers,
    private readonly followUpTimers: FollowUpTimers,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: readiness must not wait for a pass over every open case.
    void this.reconcile().catch((error: unknown) =>
      this.logger.error({ msg: 'session and follow-up timers not reconciled', error: String(error) }),
    );
  }

  async reconcile(): Promise<number> {
    let count = 0;
    for await (const batch of this.cases.waitingCases(BATCH_SIZE)) {
      for (const state of batch) {
        await this.sessionTimers.ensure(state);
        await this.followUpTimers.ensure(state);
      }
      count += batch.length;
    }
    this.logger.log({ msg: 'session and follow-up timers reconciled', cases: count });
    return count;
  }
}
