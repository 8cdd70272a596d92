// Follow-up visits after an agreement (回访): when one falls due, what a recorded visit must say, and what it
// decides for the case (go on to the next visit, close it, reopen mediation, or refer it upward). Pure
// (unit-tested in follow-up.rules.spec.ts).
import { NotFoundError, ValidationError, type FieldError } from '@linli/platform';
import {
  CaseConflictError,
  type CaseState,
  type FollowUp,
  type Outcome,
  type ReferralTarget,
} from '../cases/case.rules';

export type FollowUpDecision = 'continue' | 'close' | 'reopen' | 'refer';

/** The reason a referral out of a follow-up records when the mediator gives no note. */
export const TERM_NOT_KEPT_REASON = '协议条款未履行 / a term of the agreement was not kept';

export interface FollowUpInput {
  terms: ReadonlyArray<{ termId: string; kept: boolean; note?: string }>;
  note?: string;
  ifNotKept?: 'reopen' | 'refer';
  referredTo?: ReferralTarget;
}

/** A follow-up still to be made: its timer set (or fired) and no visit recorded. */
export function isPending(followUp: FollowUp): boolean {
  return followUp.status === 'scheduled' || followUp.status === 'due';
}

/** The follow-up a due timer is for, if it still waits: the case is agreed and the follow-up scheduled. */
export function followUpFallingDue(state: CaseState, followUpId: string): FollowUp | undefined {
  if (state.status !== 'agreed') return undefined;
  const followUp = state.followUps.find((candidate) => candidate.followUpId === followUpId);
  return followUp?.status === 'scheduled' ? followUp : undefined;
}

/** A follow-up is recorded only on an agreed case, once, and not after it was called off. */
export function assertMayRecordFollowUp(state: CaseState, followUpId: string): FollowUp {
  if (state.status !== 'agreed') {
    const why =
      state.status === 'closed'
        ? `case ${state.caseId} is closed (${state.closed?.reason ?? 'closed'})`
        : `case ${state.caseId} is ${state.status}`;
    throw new CaseConflictError('record-follow-up', state, `no agreement to follow up: ${why}`);
  }
  const followUp = state.followUps.find((candidate) => candidate.followUpId === followUpId);
  if (!followUp) throw new NotFoundError('follow-up', `${state.caseId}/${followUpId}`);
  if (!isPending(followUp)) {
    throw new CaseConflictError(
      'record-follow-up',
      state,
      followUp.status === 'recorded'
        ? `follow-up ${followUpId} was already recorded`
        : `follow-up ${followUpId} was called off`,
    );
  }
  return followUp;
}

/**
 * The visit names exactly the follow-up's terms, each once; a term not kept needs what to do about it (reopen or
 * refer), and a referral its target. 400 naming each field at fault.
 */
export function validateFollowUp(followUp: FollowUp, input: FollowUpInput): void {
  const errors: FieldError[] = [];
  const given = input.terms.map((term) => term.termId);
  const unknown = given.filter((termId) => !followUp.termIds.includes(termId));
  const repeated = given.filter((termId, index) => given.indexOf(termId) !== index);
  const missing = followUp.termIds.filter((termId) => !given.includes(termId));
  if (unknown.length || repeated.length || missing.length) {
    const problems = [
      ...(unknown.length ? [`not of this follow-up: ${unknown.join(', ')}`] : []),
      ...(repeated.length ? [`given twice: ${[...new Set(repeated)].join(', ')}`] : []),
      ...(missing.length ? [`missing: ${missing.join(', ')}`] : []),
    ];
    errors.push({
      field: 'terms',
      message: `must name each term of follow-up ${followUp.followUpId} once (${problems.join('; ')})`,
    });
  }
  const notKept = input.terms.some((term) => !term.kept);
  if (notKept && !input.ifNotKept) {
    errors.push({ field: 'ifNotKept', message: 'is required when a term was not kept (reopen or refer)' });
  }
  if (notKept && input.ifNotKept === 'refer' && !input.referredTo) {
    errors.push({ field: 'referredTo', message: 'is required when ifNotKept is refer' });
  }
  if (input.referredTo && !(notKept && input.ifNotKept === 'refer')) {
    errors.push({ field: 'referredTo', message: 'is only for a term not kept that is referred' });
  }
  if (errors.length > 0) throw new ValidationError(errors, 400);
}

/**
 * What a visit decides: every term kept → continue while other follow-ups wait, else close (the agreement was
 * kept); a term not kept → reopen mediation or refer the case, as the mediator chose.
 */
export function followUpDecision(
  state: Pick<CaseState, 'followUps'>,
  followUp: FollowUp,
  input: FollowUpInput,
): FollowUpDecision {
  if (input.terms.some((term) => !term.kept)) return input.ifNotKept ?? 'reopen';
  const othersWaiting = state.followUps.some(
    (other) => other.followUpId !== followUp.followUpId && isPending(other),
  );
  return othersWaiting ? 'continue' : 'close';
}

export interface RecordedFollowUp {
  followUp: FollowUp;
  decision: FollowUpDecision;
  termsKept: number;
  termsNotKept: number;
  /** Follow-ups still waiting that the decision called off (reopen, refer): their timers go too. */
  cancelled: FollowUp[];
  /** reopen: the new time limit, which needs its timer. */
  timeLimitAt?: Date;
  /** refer: the referral that replaced the agreement as the case's outcome. */
  referral?: Outcome;
}

/**
 * Records a follow-up visit on the draft `state`: close ends the case (agreement kept); reopen sets the agreement
 * aside (previousOutcomes), calls off the other follow-ups and gives the case in-mediation a new time limit, the
 * mediator keeping it; refer sets the agreement aside for a referral as the outcome and closes the case.
 */
export function recordFollowUp(
  state: CaseState,
  followUpId: string,
  input: FollowUpInput,
  settings: { reopenTimeLimitMs: number },
  actorId: string,
  now: Date,
): RecordedFollowUp {
  const followUp = assertMayRecordFollowUp(state, followUpId);
  validateFollowUp(followUp, input);
  const decision = followUpDecision(state, followUp, input);
  const termsKept = input.terms.filter((term) => term.kept).length;
  followUp.status = 'recorded';
  followUp.result = {
    terms: input.terms.map(({ termId, kept, note }) => ({ termId, kept, ...(note ? { note } : {}) })),
    decision,
    ...(input.note ? { note: input.note } : {}),
    at: now,
    actorId,
  };
  const recorded: RecordedFollowUp = {
    followUp,
    decision,
    termsKept,
    termsNotKept: input.terms.length - termsKept,
    cancelled: [],
  };
  if (decision === 'continue') return recorded;
  if (decision === 'close') {
    state.status = 'closed';
    state.closed = { reason: 'agreement-kept', at: now, actorId };
    return recorded;
  }
  for (const other of state.followUps) {
    if (isPending(other)) {
      other.status = 'cancelled';
      recorded.cancelled.push(other);
    }
  }
  if (state.outcome) state.previousOutcomes = [...(state.previousOutcomes ?? []), state.outcome];
  if (decision === 'reopen') {
    delete state.outcome;
    state.status = 'in-mediation';
    state.timeLimitAt = new Date(now.getTime() + settings.reopenTimeLimitMs);
    recorded.timeLimitAt = state.timeLimitAt;
    return recorded;
  }
  const referral: Outcome = {
    kind: 'referred',
    reason: input.note ?? TERM_NOT_KEPT_REASON,
    at: now,
    actorId,
    withinTimeLimit: now.getTime() <= state.timeLimitAt.getTime(),
    referredTo: input.referredTo,
  };
  state.outcome = referral;
  state.status = 'closed';
  state.closed = { reason: 'referred', at: now, actorId };
  recorded.referral = referral;
  return recorded;
}

export interface DueFollowUp {
  caseId: string;
  followUpId: string;
  dueAt: Date;
  /** due: its timer fired; scheduled: past its time, the timer not fired yet (Redis slow or lost). */
  status: FollowUp['status'];
  termIds: string[];
  mediatorId?: string;
  communityCode: string;
}

/** The follow-ups of agreed cases that are due or overdue and not recorded, earliest first. */
export function dueFollowUps(cases: readonly CaseState[], now: Date): DueFollowUp[] {
  const due: DueFollowUp[] = [];
  for (const state of cases) {
    if (state.status !== 'agreed') continue;
    for (const followUp of state.followUps) {
      const fired = followUp.status === 'due';
      const late = followUp.status === 'scheduled' && followUp.dueAt.getTime() <= now.getTime();
      if (!fired && !late) continue;
      due.push({
        caseId: state.caseId,
        followUpId: followUp.followUpId,
        dueAt: followUp.dueAt,
        status: followUp.status,
        termIds: [...followUp.termIds],
        ...(state.mediator ? { mediatorId: state.mediator.mediatorId } : {}),
        communityCode: state.communityCode,
      });
    }
  }
  return due.sort(
    (a, b) =>
      a.dueAt.getTime() - b.dueAt.getTime() ||
      a.caseId.localeCompare(b.caseId) ||
      a.followUpId.localeCompare(b.followUpId),
  );
}
