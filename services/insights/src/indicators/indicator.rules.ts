// The arithmetic of the plan's indicators: pure functions of the facts of one node (already limited to the node's
// subtree by the caller) and a window. Each decides itself which facts fall in the window, by the one time that
// places a thing in a period (said on each function), so a fact is never counted in two periods.
import type {
  AlertFact,
  AlertRecipientFact,
  CaseFact,
  ElderFact,
  FactSet,
  FeedbackFact,
  JobFact,
  ProviderKind,
  TicketFact,
  VisitFact,
} from './facts';

/**
 * The window an indicator is computed over: `start` included, `end` excluded; `now` is when it is computed (a
 * deadline counts as missed only once it has passed, so an open ticket due tomorrow is not yet late).
 */
export interface IndicatorWindow {
  start: Date;
  end: Date;
  now: Date;
}

/** One indicator's value; null when there is nothing to divide (or no sample for a median). */
export interface IndicatorResult {
  value: number | null;
  numerator?: number;
  denominator?: number;
  breakdown?: Record<string, number | null>;
}

/** The five societies of five-society linkage (五社联动) whose share of completed work the plan watches. */
export const FIVE_SOCIETIES = [
  'community',
  'social-organisation',
  'social-worker',
  'volunteer',
  'charity',
] as const satisfies readonly ProviderKind[];

/** The lowest call-back score that counts as satisfied: resident-requests closes at 3–5, reopens at 1–2. */
export const SATISFIED_AT_LEAST = 3;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export function within(at: Date | undefined, window: Pick<IndicatorWindow, 'start' | 'end'>): boolean {
  return at !== undefined && at.getTime() >= window.start.getTime() && at.getTime() < window.end.getTime();
}

export function ratio(numerator: number, denominator: number): IndicatorResult {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator };
}

/** The median of the samples (the mean of the two middle ones for an even count); null for none. */
export function median(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function medianResult(samples: readonly number[]): IndicatorResult {
  return { value: median(samples), denominator: samples.length };
}

// ---- elders and visits (居家养老上门服务, 走访发现) ----------------------------------------------------------------

/** Active (served at home) at some moment of the window: one of its active spans overlaps it. */
export function activeDuring(elder: ElderFact, window: Pick<IndicatorWindow, 'start' | 'end'>): boolean {
  return elder.activeSpans.some(
    (span) =>
      span.from.getTime() < window.end.getTime() &&
      (span.to === undefined || span.to.getTime() > window.start.getTime()),
  );
}

/** The groups in hardship the visit-and-discover rule visits (elder-care's discover groups): alone, or a flag. */
export function inHardship(elder: Pick<ElderFact, 'livingSituation' | 'hardship'>): boolean {
  return elder.livingSituation === 'alone' || elder.hardship.length > 0;
}

export function isSafetyVisit(visit: VisitFact): boolean {
  return visit.service === 'safety-visit' || (visit.itemsDone ?? []).includes('safety-visit');
}

/** Elders of the list with at least one visit delivered (checked out) in the window that passes the filter. */
function eldersVisited(
  elders: readonly ElderFact[],
  visits: readonly VisitFact[],
  window: IndicatorWindow,
  counts: (visit: VisitFact) => boolean,
): number {
  const visited = new Set(
    visits.filter((v) => within(v.completedAt, window) && counts(v)).map((v) => v.elderId),
  );
  return elders.filter((e) => visited.has(e.elderId)).length;
}

/**
 * elder-home-service-share: of the home-dwelling elders active at some moment of the window, the share that
 * received at least one door-to-door service in it (a visit checked out in the window, of any source).
 */
export function elderHomeServiceShare(
  facts: Pick<FactSet, 'elders' | 'visits'>,
  window: IndicatorWindow,
): IndicatorResult {
  const elders = facts.elders.filter((e) => activeDuring(e, window));
  return ratio(
    eldersVisited(elders, facts.visits, window, () => true),
    elders.length,
  );
}

/**
 * hardship-visit-coverage: of the active elders in a group in hardship (living alone, or a hardship flag), the
 * share that had at least one safety visit (安全巡访, the discover visits included) checked out in the window.
 */
export function hardshipVisitCoverage(
  facts: Pick<FactSet, 'elders' | 'visits'>,
  window: IndicatorWindow,
): IndicatorResult {
  const elders = facts.elders.filter((e) => inHardship(e) && activeDuring(e, window));
  return ratio(eldersVisited(elders, facts.visits, window, isSafetyVisit), elders.length);
}

// ---- mediation (人民调解) -----------------------------------------------------------------------------------------

/** mediation-success-rate: of the cases whose outcome was recorded in the window, the share ending in agreement. */
export function mediationSuccessRate(
  facts: Pick<FactSet, 'cases'>,
  window: IndicatorWindow,
): IndicatorResult {
  const concluded = facts.cases.filter((c) => c.outcome !== undefined && within(c.outcomeAt, window));
  return ratio(concluded.filter((c) => c.outcome === 'agreement').length, concluded.length);
}

/**
 * When a case is judged against its time limit: at its outcome when that came within the limit, else at the
 * limit itself (the moment it was breached, whether an outcome came later or none yet), once that has passed.
 * Undefined when it is not judged (yet): the limit is still ahead, or the case was withdrawn before it.
 */
export function caseJudgedAt(fact: CaseFact, now: Date): { at: Date; withinLimit: boolean } | undefined {
  if (fact.outcome !== undefined && fact.outcomeAt !== undefined && fact.withinTimeLimit) {
    return { at: fact.outcomeAt, withinLimit: true };
  }
  if (fact.timeLimitAt.getTime() > now.getTime()) return undefined;
  if (
    fact.outcome === undefined &&
    fact.withdrawnAt !== undefined &&
    fact.withdrawnAt.getTime() < fact.timeLimitAt.getTime()
  ) {
    return undefined;
  }
  return { at: fact.timeLimitAt, withinLimit: false };
}

/**
 * mediation-within-limit-rate: of the cases judged in the window (an outcome recorded within the limit, or a limit
 * that ran out, outcome or not), the share concluded within their time limit (as extended).
 */
export function mediationWithinLimitRate(
  facts: Pick<FactSet, 'cases'>,
  window: IndicatorWindow,
): IndicatorResult {
  const judged = facts.cases
    .map((c) => caseJudgedAt(c, window.now))
    .filter((j): j is NonNullable<typeof j> => j !== undefined && within(j.at, window));
  return ratio(judged.filter((j) => j.withinLimit).length, judged.length);
}

// ---- tickets (接诉即办) -------------------------------------------------------------------------------------------

/**
 * When a ticket is judged against its resolution deadline: at its first resolution when that came by the
 * deadline (on time), else at the deadline (late, whether resolved later or not yet), once it has passed.
 * Undefined when not judged (yet): never triaged, deadline still ahead, or cancelled unresolved before it.
 */
export function ticketJudgedAt(fact: TicketFact, now: Date): { at: Date; onTime: boolean } | undefined {
  if (fact.resolveDueAt === undefined) return undefined;
  const due = fact.resolveDueAt.getTime();
  if (fact.firstResolvedAt !== undefined && fact.firstResolvedAt.getTime() <= due) {
    return { at: fact.firstResolvedAt, onTime: true };
  }
  if (due > now.getTime()) return undefined;
  if (
    fact.firstResolvedAt === undefined &&
    fact.cancelledAt !== undefined &&
    fact.cancelledAt.getTime() < due
  ) {
    return undefined;
  }
  return { at: fact.resolveDueAt, onTime: false };
}

/** ticket-on-time-rate: of the tickets judged in the window, the share resolved by their deadline. */
export function ticketOnTimeRate(facts: Pick<FactSet, 'tickets'>, window: IndicatorWindow): IndicatorResult {
  const judged = facts.tickets
    .map((t) => ticketJudgedAt(t, window.now))
    .filter((j): j is NonNullable<typeof j> => j !== undefined && within(j.at, window));
  return ratio(judged.filter((j) => j.onTime).length, judged.length);
}

/** resident-satisfaction-rate: of the call-back answers recorded in the window, the share scoring 3 to 5. */
export function residentSatisfactionRate(
  facts: Pick<FactSet, 'feedback'>,
  window: IndicatorWindow,
): IndicatorResult {
  const answers = facts.feedback.filter((f: FeedbackFact) => within(f.recordedAt, window));
  return ratio(answers.filter((f) => f.satisfaction >= SATISFIED_AT_LEAST).length, answers.length);
}

// ---- jobs (dispatch, 五社联动) ------------------------------------------------------------------------------------

/**
 * job-accept-median-minutes: over the jobs first accepted in the window, the median of the minutes from the
 * request (or the first offer, when the request was not seen) to the acceptance. Clocks of two services can
 * disagree by a little: a negative wait counts as 0.
 */
export function jobAcceptMedianMinutes(
  facts: Pick<FactSet, 'jobs'>,
  window: IndicatorWindow,
): IndicatorResult {
  const waits: number[] = [];
  for (const job of facts.jobs) {
    const from = job.requestedAt ?? job.firstOfferedAt;
    if (!from || !job.acceptedAt || !within(job.acceptedAt, window)) continue;
    waits.push(Math.max(0, job.acceptedAt.getTime() - from.getTime()) / MINUTE_MS);
  }
  return medianResult(waits);
}

function completedIn(jobs: readonly JobFact[], window: IndicatorWindow): JobFact[] {
  return jobs.filter((j) => within(j.completedAt, window));
}

/**
 * provider-kind-share: of the jobs completed in the window by providers of the five societies, the share each
 * society carried (companies' jobs are counted apart, not here). The value is null: the breakdown is the answer.
 */
export function providerKindShare(facts: Pick<FactSet, 'jobs'>, window: IndicatorWindow): IndicatorResult {
  const counts = new Map<string, number>(FIVE_SOCIETIES.map((kind) => [kind, 0]));
  for (const job of completedIn(facts.jobs, window)) {
    if (job.providerKind !== undefined && counts.has(job.providerKind)) {
      counts.set(job.providerKind, (counts.get(job.providerKind) ?? 0) + 1);
    }
  }
  const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
  const breakdown: Record<string, number | null> = {};
  for (const [kind, n] of counts) breakdown[kind] = total === 0 ? null : n / total;
  return { value: null, denominator: total, breakdown };
}

/**
 * volunteer-service-hours: the hours volunteers worked on jobs completed in the window (check-in to check-out);
 * a job completed without a recorded start adds nothing. The denominator is the number of jobs counted.
 */
export function volunteerServiceHours(
  facts: Pick<FactSet, 'jobs'>,
  window: IndicatorWindow,
): IndicatorResult {
  let totalMs = 0;
  let jobs = 0;
  for (const job of completedIn(facts.jobs, window)) {
    if (job.providerKind !== 'volunteer' || !job.startedAt || !job.completedAt) continue;
    totalMs += Math.max(0, job.completedAt.getTime() - job.startedAt.getTime());
    jobs += 1;
  }
  return { value: totalMs / HOUR_MS, denominator: jobs };
}

// ---- alerts (社区应急) --------------------------------------------------------------------------------------------

/**
 * The recipients of the alerts issued in the window, with the time their alert was issued: the alert's own
 * alert.issued, else what the acknowledgement said, else the delivery (a recipient seen before its alert).
 */
function recipientsOfAlertsIssuedIn(
  facts: Pick<FactSet, 'alerts' | 'alertRecipients'>,
  window: IndicatorWindow,
): { recipient: AlertRecipientFact; issuedAt: Date }[] {
  const issued = new Map(facts.alerts.map((a: AlertFact) => [a.alertId, a.issuedAt]));
  const out: { recipient: AlertRecipientFact; issuedAt: Date }[] = [];
  for (const recipient of facts.alertRecipients) {
    const issuedAt = issued.get(recipient.alertId) ?? recipient.alertIssuedAt ?? recipient.deliveredAt;
    if (issuedAt && within(issuedAt, window)) out.push({ recipient, issuedAt });
  }
  return out;
}

/** alert-ack-rate: of the recipients of the alerts issued in the window, the share who acknowledged. */
export function alertAckRate(
  facts: Pick<FactSet, 'alerts' | 'alertRecipients'>,
  window: IndicatorWindow,
): IndicatorResult {
  const recipients = recipientsOfAlertsIssuedIn(facts, window);
  return ratio(recipients.filter((r) => r.recipient.acknowledgedAt !== undefined).length, recipients.length);
}

/**
 * alert-ack-median-minutes: over the acknowledgements of the alerts issued in the window, the median of the
 * minutes from the alert's issue to the acknowledgement.
 */
export function alertAckMedianMinutes(
  facts: Pick<FactSet, 'alerts' | 'alertRecipients'>,
  window: IndicatorWindow,
): IndicatorResult {
  const waits: number[] = [];
  for (const { recipient, issuedAt } of recipientsOfAlertsIssuedIn(facts, window)) {
    if (recipient.acknowledgedAt === undefined) continue;
    waits.push(Math.max(0, recipient.acknowledgedAt.getTime() - issuedAt.getTime()) / MINUTE_MS);
  }
  return medianResult(waits);
}
