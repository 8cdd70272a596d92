// The use cases of follow-up visits after an agreement (回访): a visit falling due, the worklist of those due, and
// the mediator's record of a visit, which continues, closes, reopens or refers the case. Each change is one
// conditional write of the case with its events; the timers follow once it is stored.
import type { Actor } from '@linli/auth';
import { caseClosed, caseReopened, followUpDue, followUpRecorded, outcomeRecorded } from '@linli/contracts';
import { ForbiddenError, InjectConfig } from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import { CaseTimers } from '../cases/case-timers';
import { CaseWriter } from '../cases/case-writer';
import type { MediationConfig } from '../config';
import { toCaseView } from '../cases/case.view';
import type { CaseView } from '../cases/dto/case.dto';
import { assertConducts } from '../sessions/session.rules';
import type { DueFollowUpPage, DueFollowUpsQuery, RecordFollowUpDto } from './dto/follow-up.dto';
import { FollowUpTimers } from './follow-up-timers';
import { dueFollowUps, followUpFallingDue, recordFollowUp } from './follow-up.rules';
import { FollowUpsRepository } from './follow-ups.repository';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class FollowUpsService {
  private readonly logger = new Logger(FollowUpsService.name);

  constructor(
    private readonly writer: CaseWriter,
    private readonly repository: FollowUpsRepository,
    private readonly timers: FollowUpTimers,
    private readonly caseTimers: CaseTimers,
    @InjectConfig() private readonly config: MediationConfig,
  ) {}

  /**
   * A follow-up's timer fired: a follow-up still scheduled on an agreed case becomes due and followup.due goes out
   * (the mediator is to visit). A redelivered timer finds it due already and does nothing.
   */
  async due(caseId: string, followUpId: string): Promise<void> {
    await this.writer.change(
      caseId,
      undefined,
      (current, now) => {
        const draft = this.writer.draft(current);
        const followUp = followUpFallingDue(draft.state, followUpId);
        if (!followUp) return undefined;
        followUp.status = 'due';
        draft.state.timeline.push({ at: now, what: `follow-up ${followUpId} due` });
        if (current.mediator) {
          draft.events.push(
            this.writer.event(followUpDue, current, {
              ...this.writer.ref(current),
              followUpId,
              mediatorId: current.mediator.mediatorId,
              dueAt: followUp.dueAt.toISOString(),
            }),
          );
        }
        this.logger.log({ msg: 'follow-up due', caseId, followUpId });
        return draft;
      },
      { missing: 'ignore' },
    );
  }

  /** Follow-ups due or overdue, not recorded: a mediator's on the cases they hold, a supervisor's in their area. */
  async listDue(query: DueFollowUpsQuery, actor: Actor): Promise<DueFollowUpPage> {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, this.config.MAX_PAGE_SIZE);
    const staff = actor.has('supervisor', 'admin');
    if (!staff && !actor.providerId) throw new ForbiddenError('a mediator account needs its provider id');
    const now = new Date();
    const cases = await this.repository.agreedWithFollowUpsDue(
      actor,
      now,
      staff ? undefined : actor.providerId,
    );
    const due = dueFollowUps(cases, now);
    const items = due.slice((page - 1) * pageSize, page * pageSize).map((item) => ({
      caseId: item.caseId,
      followUpId: item.followUpId,
      dueAt: item.dueAt.toISOString(),
      status: item.status,
      termIds: item.termIds,
      ...(item.mediatorId ? { mediatorId: item.mediatorId } : {}),
      communityCode: item.communityCode,
    }));
    return { items, total: due.length, page, pageSize };
  }

  /**
   * The mediator's record of a visit (early is fine): followup.recorded, and by the decision case.closed
   * (agreement kept), case.reopened with a new time limit and its timer, or a referral (outcome.recorded,
   * case.closed). Follow-ups the decision called off lose their timers.
   */
  async record(
    caseId: string,
    followUpId: string,
    actor: Actor,
    command: RecordFollowUpDto,
  ): Promise<CaseView> {
    const saved = await this.writer.change(caseId, actor, (current, now) => {
      assertConducts(actor, current);
      const draft = this.writer.draft(current);
      const recorded = recordFollowUp(
        draft.state,
        followUpId,
        {
          terms: command.terms.map(({ termId, kept, note }) => ({ termId, kept, ...(note ? { note } : {}) })),
          ...(command.note ? { note: command.note } : {}),
          ...(command.ifNotKept ? { ifNotKept: command.ifNotKept } : {}),
          ...(command.referredTo ? { referredTo: command.referredTo } : {}),
        },
        { reopenTimeLimitMs: this.config.CASE_REOPEN_TIME_LIMIT_MS },
        actor.userId,
        now,
      );
      const ref = this.writer.ref(current);
      const ticket = current.ticketId ? { ticketId: current.ticketId } : {};
      draft.events.push(
        this.writer.event(followUpRecorded, current, {
          ...ref,
          followUpId,
          termsKept: recorded.termsKept,
          termsNotKept: recorded.termsNotKept,
          decision: recorded.decision,
          actorId: actor.userId,
        }),
      );
      draft.state.timeline.push({
        at: now,
        what: `follow-up ${followUpId} recorded (${recorded.termsKept} kept, ${recorded.termsNotKept} not): ${recorded.decision}`,
        actorId: actor.userId,
      });
      if (recorded.referral) {
        draft.events.push(
          this.writer.event(outcomeRecorded, current, {
            ...ref,
            caseType: current.caseType,
            outcome: 'referred',
            ...(recorded.referral.referredTo ? { referredTo: recorded.referral.referredTo } : {}),
            withinTimeLimit: recorded.referral.withinTimeLimit,
            openedAt: current.openedAt.toISOString(),
            ...ticket,
            actorId: actor.userId,
          }),
        );
      }
      if (recorded.timeLimitAt) {
        draft.events.push(
          this.writer.event(caseReopened, current, {
            ...ref,
            reason: 'term-not-kept',
            timeLimitAt: recorded.timeLimitAt.toISOString(),
            ...ticket,
            actorId: actor.userId,
          }),
        );
        draft.state.timeline.push({
          at: now,
          what: 'reopened (a term not kept)',
          actorId: actor.userId,
        });
        const limit = { caseId, timeLimitAt: recorded.timeLimitAt };
        draft.timers.push(() => this.caseTimers.moveTimeLimit(caseId, current.timeLimitAt, limit));
      }
      if (draft.state.closed && !current.closed) {
        draft.events.push(
          this.writer.event(caseClosed, current, {
            ...ref,
            reason: draft.state.closed.reason,
            ...ticket,
            actorId: actor.userId,
          }),
        );
        draft.state.timeline.push({
          at: now,
          what: `closed (${draft.state.closed.reason})`,
          actorId: actor.userId,
        });
      }
      draft.timers.push(...this.timers.cancel(caseId, [recorded.followUp, ...recorded.cancelled]));
      return draft;
    });
    this.logger.log({ msg: 'follow-up recorded', caseId, followUpId });
    return toCaseView(saved!, actor);
  }
}
