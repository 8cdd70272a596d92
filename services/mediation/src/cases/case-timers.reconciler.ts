// At start-up, sets again the time-limit timer every case in mediation should have: a case is written before its
// timer is set, so a crash in between would otherwise leave it without one. (Sessions' reminders and follow-ups
// are reconciled by their own modules.)
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

const BATCH_SIZE = 500;

@Injectable()
export class CaseTimersReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(CaseTimersReconciler.name);

  constructor(
    private readonly repository: CasesRepository,
    private readonly cases: CasesService,
  ) {}

  onApplicationBootstrap(): void {
    // In the background: readiness must not wait for a pass over every case.
    void this.reconcile().catch((error: unknown) =>
      this.logger.error({ msg: 'case time-limit timers not reconciled', error: String(error) }),
    );
  }

  async reconcile(): Promise<number> {
    let count = 0;
    for await (const batch of this.repository.waitingCases(BATCH_SIZE)) {
      for (const state of batch) await this.cases.ensureTimers(state);
      count += batch.length;
    }
    this.logger.log({ msg: 'case time-limit timers reconciled', cases: count });
    return count;
  }
}
