// The reminder timers of sessions: what session.rules decided (schedule, move, withdraw) applied to the scheduler
// once the case is stored, and the timers every waiting reminder should have (start-up reconciliation).
import {
  Scheduler,
  ScheduledWorkNotFoundError,
  ScheduledWorkStateError,
  type ScheduleResult,
} from '@linli/scheduling';
import { Injectable, Logger } from '@nestjs/common';
import type { CaseState, SessionReminder } from '../cases/case.rules';
import { CaseWriter } from '../cases/case-writer';
import { MediationJobs } from '../scheduling.jobs';
import { currentReminder, reminderKey, type ReminderAction } from './session.rules';

@Injectable()
export class SessionTimers {
  private readonly logger = new Logger(SessionTimers.name);

  constructor(
    private readonly scheduler: Scheduler,
    private readonly writer: CaseWriter,
  ) {}

  /** The job id of a reminder's timer. */
  jobIdOf(key: Array<string | number>): string {
    return this.scheduler.jobIdOf(MediationJobs.sessionReminder, key);
  }

  /** The reminder actions as a draft's timers, run once the case is written. */
  timers(caseId: string, actions: readonly ReminderAction[]): Array<() => Promise<unknown>> {
    return actions.map((action) => () => this.apply(caseId, action));
  }

  /** Every pending reminder of the case's scheduled sessions has its timer (idempotent by job id). */
  async ensure(state: CaseState): Promise<void> {
    if (state.status !== 'in-mediation') return;
    for (const session of state.sessions) {
      if (session.status !== 'scheduled') continue;
      for (const reminder of session.reminders ?? []) {
        if (reminder.status === 'pending') await this.schedule(state.caseId, session.sessionId, reminder);
      }
    }
  }

  private async apply(caseId: string, action: ReminderAction): Promise<void> {
    const { sessionId, reminder } = action;
    if (action.kind === 'cancel') {
      await this.scheduler.cancel(MediationJobs.sessionReminder, reminderKey(caseId, sessionId, reminder));
      return;
    }
    if (action.kind === 'schedule') {
      const result = await this.schedule(caseId, sessionId, reminder);
      if (result.created || result.status === 'pending') return;
      if (result.status === 'cancelled' || result.status === 'failed') {
        await this.move(caseId, sessionId, reminder);
        return;
      }
      await this.rearm(caseId, sessionId, reminder);
      return;
    }
    await this.move(caseId, sessionId, reminder);
  }

  private schedule(caseId: string, sessionId: string, reminder: SessionReminder): Promise<ScheduleResult> {
    return this.scheduler.schedule(MediationJobs.sessionReminder, {
      key: reminderKey(caseId, sessionId, reminder),
      dueAt: reminder.dueAt,
      payload: { caseId, sessionId, leadMinutes: reminder.leadMinutes },
    });
  }

  private async move(caseId: string, sessionId: string, reminder: SessionReminder): Promise<void> {
    try {
      await this.scheduler.reschedule(
        MediationJobs.sessionReminder,
        reminderKey(caseId, sessionId, reminder),
        reminder.dueAt,
      );
    } catch (error) {
      if (error instanceof ScheduledWorkNotFoundError) {
        // The case was written but its timer never set (a crash in between): set it now.
        await this.schedule(caseId, sessionId, reminder);
      } else if (error instanceof ScheduledWorkStateError) {
        // Its job is running (or just ran) for the old time and finds the session moved: it sends nothing, and the
        // job id cannot be moved any more, so the reminder is armed again under its next round.
        await this.rearm(caseId, sessionId, reminder);
      } else {
        throw error;
      }
    }
  }

  /** Gives a pending reminder whose job cannot be moved the next round, and sets that round's timer. */
  private async rearm(caseId: string, sessionId: string, stale: SessionReminder): Promise<void> {
    this.logger.warn({
      msg: 'session reminder armed again',
      caseId,
      sessionId,
      leadMinutes: stale.leadMinutes,
    });
    await this.writer.change(
      caseId,
      undefined,
      (current) => {
        const draft = this.writer.draft(current);
        const session = draft.state.sessions.find((candidate) => candidate.sessionId === sessionId);
        const reminder = session && currentReminder(session.reminders ?? [], stale.leadMs);
        if (
          !session ||
          session.status !== 'scheduled' ||
          !reminder ||
          reminder.status !== 'pending' ||
          reminder.round !== stale.round
        ) {
          return undefined;
        }
        const rounds = session.reminders.filter((r) => r.leadMs === stale.leadMs).map((r) => r.round);
        reminder.round = Math.max(...rounds) + 1;
        const armed = { ...reminder };
        draft.timers.push(() => this.schedule(caseId, sessionId, armed));
        return draft;
      },
      { missing: 'ignore' },
    );
  }
}
