// A session, and where a case stands after its outcome or a follow-up visit, as the API shows them. Only the
// mediator holding the case, supervisors and admins run these commands, so minutes and agreement texts are whole.
import type { CaseState, FollowUp, Outcome, Session } from '../cases/case.rules';
import type { CaseProgressView, FollowUpView, OutcomeView, SessionView } from './dto/session.dto';

export function toSessionView(state: CaseState, session: Session): SessionView {
  return {
    caseId: state.caseId,
    version: state.version,
    caseStatus: state.status,
    sessionId: session.sessionId,
    scheduledFor: session.scheduledFor.toISOString(),
    place: session.place,
    status: session.status,
    rescheduled: session.rescheduled,
    reminders: (session.reminders ?? []).map((reminder) => ({
      leadMinutes: reminder.leadMinutes,
      dueAt: reminder.dueAt.toISOString(),
      status: reminder.status,
      ...(reminder.sentAt ? { sentAt: reminder.sentAt.toISOString() } : {}),
    })),
    ...(session.attendance
      ? { attendance: session.attendance.map(({ partyId, present }) => ({ partyId, present })) }
      : {}),
    ...(session.minutes !== undefined ? { minutes: session.minutes } : {}),
    ...(session.heldAt ? { heldAt: session.heldAt.toISOString() } : {}),
  };
}

export function toOutcomeView(outcome: Outcome): OutcomeView {
  return {
    kind: outcome.kind,
    reason: outcome.reason,
    at: outcome.at.toISOString(),
    actorId: outcome.actorId,
    withinTimeLimit: outcome.withinTimeLimit,
    ...(outcome.agreement
      ? {
          agreement: {
            text: outcome.agreement.text,
            terms: outcome.agreement.terms.map(({ termId, text, dueDate }) => ({ termId, text, dueDate })),
            followUpPlan: outcome.agreement.followUpPlan,
          },
        }
      : {}),
    ...(outcome.referredTo ? { referredTo: outcome.referredTo } : {}),
  };
}

export function toFollowUpView(followUp: FollowUp): FollowUpView {
  return {
    followUpId: followUp.followUpId,
    dueAt: followUp.dueAt.toISOString(),
    termIds: [...followUp.termIds],
    status: followUp.status,
    ...(followUp.result
      ? {
          result: {
            terms: followUp.result.terms.map(({ termId, kept, note }) => ({
              termId,
              kept,
              ...(note ? { note } : {}),
            })),
            decision: followUp.result.decision,
            ...(followUp.result.note ? { note: followUp.result.note } : {}),
            at: followUp.result.at.toISOString(),
            actorId: followUp.result.actorId,
          },
        }
      : {}),
  };
}

export function toProgressView(state: CaseState): CaseProgressView {
  return {
    caseId: state.caseId,
    version: state.version,
    status: state.status,
    timeLimitAt: state.timeLimitAt.toISOString(),
    ...(state.outcome ? { outcome: toOutcomeView(state.outcome) } : {}),
    previousOutcomes: (state.previousOutcomes ?? []).map(toOutcomeView),
    followUps: state.followUps.map(toFollowUpView),
    ...(state.closed ? { closed: { reason: state.closed.reason, at: state.closed.at.toISOString() } } : {}),
  };
}
