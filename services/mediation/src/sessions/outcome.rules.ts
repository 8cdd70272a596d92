// The outcome of a mediation (agreement, failure or referral upward): when a case may have one, what a valid one
// says, the follow-up visits an agreement plans, and what recording it does to the case. Pure (unit-tested in
// outcome.rules.spec.ts).
import { CHINA_OFFSET_MS, ValidationError, type FieldError } from '@linli/platform';
import {
  CaseConflictError,
  type AgreementTerm,
  type CaseState,
  type FollowUp,
  type FollowUpPlan,
  type MediationOutcome,
  type Outcome,
  type ReferralTarget,
  type Session,
} from '../cases/case.rules';
import { cancelScheduledSessions, type ReminderAction } from './session.rules';

/** Per-term follow-up visits are at 10:00 China time on the term's due date. */
export const PER_TERM_FOLLOW_UP_HOUR = 10;

export interface OutcomeInput {
  kind: MediationOutcome;
  reason: string;
  agreement?: {
    text: string;
    terms: ReadonlyArray<{ text: string; dueDate: string }>;
    followUpPlan?: FollowUpPlan;
  };
  referredTo?: ReferralTarget;
}

/**
 * What the body says must agree with its kind: an agreement has its text and terms, a referral its target, and
 * nothing else carries them; each term is due today or later (China date). 400 naming each field at fault.
 */
export function validateOutcome(input: OutcomeInput, today: string): void {
  const errors: FieldError[] = [];
  if (input.kind === 'agreement' && !input.agreement) {
    errors.push({ field: 'agreement', message: 'is required when kind is agreement' });
  }
  if (input.kind !== 'agreement' && input.agreement) {
    errors.push({ field: 'agreement', message: 'is only for kind agreement' });
  }
  if (input.kind === 'referred' && !input.referredTo) {
    errors.push({ field: 'referredTo', message: 'is required when kind is referred' });
  }
  if (input.kind !== 'referred' && input.referredTo) {
    errors.push({ field: 'referredTo', message: 'is only for kind referred' });
  }
  (input.agreement?.terms ?? []).forEach((term, index) => {
    if (!isCalendarDate(term.dueDate)) {
      errors.push({ field: `agreement.terms.${index}.dueDate`, message: 'must be a real date (YYYY-MM-DD)' });
    } else if (term.dueDate < today) {
      errors.push({
        field: `agreement.terms.${index}.dueDate`,
        message: `must be today (${today}) or later`,
      });
    }
  });
  if (errors.length > 0) throw new ValidationError(errors, 400);
}

/** An outcome needs the case in mediation with a session held, and only one outcome at a time. */
export function assertMayRecordOutcome(state: CaseState): void {
  if (state.outcome || state.status === 'agreed') {
    throw new CaseConflictError(
      'record-outcome',
      state,
      `case ${state.caseId} already has its outcome (${state.outcome?.kind ?? 'agreement'})`,
    );
  }
  if (state.status === 'closed') {
    throw new CaseConflictError(
      'record-outcome',
      state,
      `case ${state.caseId} is closed (${state.closed?.reason ?? 'closed'}): no outcome`,
    );
  }
  if (!state.sessions.some((session) => session.status === 'held')) {
    throw new CaseConflictError('record-outcome', state, 'an outcome needs a session held first');
  }
  if (state.status !== 'in-mediation') {
    throw new CaseConflictError('record-outcome', state);
  }
}

/** A calendar date that exists (2026-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00.000Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** 10:00 China time on `date` (YYYY-MM-DD). */
export function chinaMorning(date: string): Date {
  return new Date(
    Date.parse(`${date}T00:00:00.000Z`) - CHINA_OFFSET_MS + PER_TERM_FOLLOW_UP_HOUR * 3_600_000,
  );
}

/**
 * The follow-up visits of an agreement: after-period, one visit `afterMs` after the agreement covering every term;
 * per-term, one visit per distinct due date (10:00 China time) covering that date's terms, in date order. Ids go on
 * from `existing` follow-ups of the case (F1, F2…).
 */
export function planFollowUps(
  plan: FollowUpPlan,
  terms: readonly AgreementTerm[],
  agreedAt: Date,
  afterMs: number,
  existing: number,
): FollowUp[] {
  const id = (index: number) => `F${existing + index + 1}`;
  if (plan === 'after-period') {
    return [
      {
        followUpId: id(0),
        dueAt: new Date(agreedAt.getTime() + afterMs),
        termIds: terms.map((term) => term.termId),
        status: 'scheduled',
      },
    ];
  }
  const dates = [...new Set(terms.map((term) => term.dueDate))].sort();
  return dates.map((date, index) => ({
    followUpId: id(index),
    dueAt: chinaMorning(date),
    termIds: terms.filter((term) => term.dueDate === date).map((term) => term.termId),
    status: 'scheduled',
  }));
}

/** Terms are numbered through the case's life (T1, T2…), across the agreements a reopening set aside. */
export function nextTermNumber(state: Pick<CaseState, 'outcome' | 'previousOutcomes'>): number {
  const outcomes = [...(state.previousOutcomes ?? []), ...(state.outcome ? [state.outcome] : [])];
  return outcomes.reduce((count, outcome) => count + (outcome.agreement?.terms.length ?? 0), 0) + 1;
}

export interface RecordedOutcome {
  outcome: Outcome;
  followUps: FollowUp[];
  cancelledSessions: Session[];
  reminderActions: ReminderAction[];
}

/**
 * Records the outcome on the draft `state` (validated already): scheduled sessions are called off with their
 * reminders; an agreement makes the case agreed with its follow-ups planned; a failure or referral closes it.
 * withinTimeLimit: recorded no later than the case's time limit (as extended).
 */
export function recordOutcome(
  state: CaseState,
  input: OutcomeInput,
  settings: { followUpAfterMs: number },
  actorId: string,
  now: Date,
): RecordedOutcome {
  assertMayRecordOutcome(state);
  const { sessions: cancelledSessions, actions: reminderActions } = cancelScheduledSessions(state);
  const withinTimeLimit = now.getTime() <= state.timeLimitAt.getTime();
  const outcome: Outcome = {
    kind: input.kind,
    reason: input.reason,
    at: now,
    actorId,
    withinTimeLimit,
  };
  let followUps: FollowUp[] = [];
  if (input.kind === 'agreement' && input.agreement) {
    const first = nextTermNumber(state);
    const terms = input.agreement.terms.map((term, index) => ({
      termId: `T${first + index}`,
      text: term.text,
      dueDate: term.dueDate,
    }));
    const followUpPlan = input.agreement.followUpPlan ?? 'after-period';
    outcome.agreement = { text: input.agreement.text, terms, followUpPlan };
    followUps = planFollowUps(followUpPlan, terms, now, settings.followUpAfterMs, state.followUps.length);
    state.followUps.push(...followUps);
    state.status = 'agreed';
  } else {
    if (input.kind === 'referred') outcome.referredTo = input.referredTo;
    state.status = 'closed';
    state.closed = { reason: input.kind === 'failed' ? 'failed' : 'referred', at: now, actorId };
  }
  state.outcome = outcome;
  return { outcome, followUps, cancelledSessions, reminderActions };
}
