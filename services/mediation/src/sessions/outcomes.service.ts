// The use case of a mediation's outcome: agreement, failure or referral, recorded by the mediator holding the case
// or a supervisor once a session was held. One conditional write with its events (outcome.recorded, the sessions
// called off, case.closed for a failure or referral); then the timers: reminders withdrawn, the time limit no
// longer running, an agreement's follow-up visits set.
import type { Actor } from '@linli/auth';
import { caseClosed, outcomeRecorded, sessionCancelled } from '@linli/contracts';
import { chinaDate, InjectConfig } from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import { CaseTimers } from '../cases/case-timers';
import { CaseWriter } from '../cases/case-writer';
import type { MediationConfig } from '../config';
import { FollowUpTimers } from '../follow-ups/follow-up-timers';
import { toCaseView } from '../cases/case.view';
import type { CaseView } from '../cases/dto/case.dto';
import type { RecordOutcomeDto } from './dto/session.dto';
import { assertMayRecordOutcome, recordOutcome, validateOutcome, type OutcomeInput } from './outcome.rules';
import { SessionTimers } from './session-timers';
import { assertConducts } from './session.rules';

@Injectable()
export class OutcomesService {
  private readonly logger = new Logger(OutcomesService.name);

  constructor(
    private readonly writer: CaseWriter,
    private readonly sessionTimers: SessionTimers,
    private readonly followUpTimers: FollowUpTimers,
    private readonly caseTimers: CaseTimers,
    @InjectConfig() private readonly config: MediationConfig,
  ) {}

  async record(caseId: string, actor: Actor, command: RecordOutcomeDto): Promise<CaseView> {
    const input: OutcomeInput = {
      kind: command.kind,
      reason: command.reason,
      ...(command.agreement
        ? {
            agreement: {
              text: command.agreement.text,
              terms: command.agreement.terms.map(({ text, dueDate }) => ({ text, dueDate })),
              ...(command.agreement.followUpPlan ? { followUpPlan: command.agreement.followUpPlan } : {}),
            },
          }
        : {}),
      ...(command.referredTo ? { referredTo: command.referredTo } : {}),
    };
    const saved = await this.writer.change(caseId, actor, (current, now) => {
      assertConducts(actor, current);
      assertMayRecordOutcome(current);
      validateOutcome(input, chinaDate(now));
      const draft = this.writer.draft(current);
      const recorded = recordOutcome(
        draft.state,
        input,
        { followUpAfterMs: this.config.FOLLOW_UP_AFTER_MS },
        actor.userId,
        now,
      );
      const ref = this.writer.ref(current);
      for (const session of recorded.cancelledSessions) {
        draft.events.push(
          this.writer.event(sessionCancelled, current, {
            ...ref,
            sessionId: session.sessionId,
            actorId: actor.userId,
          }),
        );
      }
      const { outcome, followUps } = recorded;
      draft.events.push(
        this.writer.event(outcomeRecorded, current, {
          ...ref,
          caseType: current.caseType,
          outcome: outcome.kind,
          ...(outcome.referredTo ? { referredTo: outcome.referredTo } : {}),
          ...(outcome.agreement ? { termCount: outcome.agreement.terms.length } : {}),
          ...(followUps.length > 0
            ? { followUpDueAts: followUps.map((followUp) => followUp.dueAt.toISOString()) }
            : {}),
          withinTimeLimit: outcome.withinTimeLimit,
          openedAt: current.openedAt.toISOString(),
          ...(current.ticketId ? { ticketId: current.ticketId } : {}),
          actorId: actor.userId,
        }),
      );
      draft.state.timeline.push({
        at: now,
        what: `outcome: ${outcome.kind}${outcome.withinTimeLimit ? '' : ' (after the time limit)'}`,
        actorId: actor.userId,
      });
      if (draft.state.closed) {
        draft.events.push(
          this.writer.event(caseClosed, current, {
            ...ref,
            reason: draft.state.closed.reason,
            ...(current.ticketId ? { ticketId: current.ticketId } : {}),
            actorId: actor.userId,
          }),
        );
        draft.state.timeline.push({
          at: now,
          what: `closed (${draft.state.closed.reason})`,
          actorId: actor.userId,
        });
      }
      draft.timers.push(
        ...this.sessionTimers.timers(caseId, recorded.reminderActions),
        () => this.caseTimers.cancelTimeLimit(current),
        ...this.followUpTimers.schedule(caseId, followUps),
      );
      return draft;
    });
    this.logger.log({ msg: 'outcome recorded', caseId, outcome: command.kind });
    return toCaseView(saved!, actor);
  }
}
