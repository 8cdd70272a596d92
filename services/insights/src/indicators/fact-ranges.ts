// Which facts a read needs: every indicator decides itself which facts fall in its window (indicator.rules.ts), so
// a read over a range of windows (one period, or a trend's periods end to end) needs only the facts that some rule
// could place in that range. These predicates are the most conservative such bounds, one per collection, read off
// the rules' own times; the repository turns each into the same condition on the stored fact (plus the node), and
// fact-ranges.spec.ts proves the indicators come out identical on the bounded facts and on all of them.
import type {
  AlertFact,
  AlertRecipientFact,
  CaseFact,
  ElderFact,
  FactSet,
  FeedbackFact,
  JobFact,
  TicketFact,
  VisitFact,
} from './facts';
import { activeDuring, within } from './indicator.rules';

/** The span of time a read covers: `start` included, `end` excluded (the union of its windows, which abut). */
export interface FactRange {
  start: Date;
  end: Date;
}

/** The range covering windows end to end: the first one's start to the last one's end. */
export function rangeOf(windows: readonly FactRange[]): FactRange {
  if (windows.length === 0) throw new Error('a range needs at least one window');
  return {
    start: new Date(Math.min(...windows.map((w) => w.start.getTime()))),
    end: new Date(Math.max(...windows.map((w) => w.end.getTime()))),
  };
}

/**
 * The time conditions, by collection. Tickets: judged at the first resolution (on time) or at the deadline
 * (late), so one of the two lies in the range. Jobs: placed by their first acceptance (waiting time) or their
 * completion (provider shares, volunteer hours). Elders: active at some moment of the range. Visits: delivered
 * (checked out) in it. Cases: an outcome recorded in it (success rate; on time) or a time limit running out in
 * it. Feedback: recorded in it. Alerts: all of the node's (few, one per incident; a recipient's time comes from its
 * alert when the alert is known, so the map of alerts must stay whole). Recipients: their alert issued in the
 * range, or, for an alert not known, the issue time the acknowledgement carried or the delivery in it.
 */
export const inRange = {
  tickets: (t: TicketFact, r: FactRange) => within(t.firstResolvedAt, r) || within(t.resolveDueAt, r),
  feedback: (f: FeedbackFact, r: FactRange) => within(f.recordedAt, r),
  jobs: (j: JobFact, r: FactRange) => within(j.acceptedAt, r) || within(j.completedAt, r),
  elders: (e: ElderFact, r: FactRange) => activeDuring(e, r),
  visits: (v: VisitFact, r: FactRange) => within(v.completedAt, r),
  cases: (c: CaseFact, r: FactRange) => within(c.outcomeAt, r) || within(c.timeLimitAt, r),
  alerts: (_a: AlertFact, _r: FactRange) => true,
  /** `issuedInRange`: the ids of the node's alerts issued in the range. */
  alertRecipients: (a: AlertRecipientFact, r: FactRange, issuedInRange: ReadonlySet<string>) =>
    issuedInRange.has(a.alertId) || within(a.alertIssuedAt, r) || within(a.deliveredAt, r),
};

/** The ids of the alerts issued in the range, which keep all their recipients. */
export function alertsIssuedIn(alerts: readonly AlertFact[], range: FactRange): Set<string> {
  return new Set(alerts.filter((a) => within(a.issuedAt, range)).map((a) => a.alertId));
}

/** The facts of the set a read over the range needs (what the repository's bounded read returns). */
export function factsInRange(facts: FactSet, range: FactRange): FactSet {
  const issued = alertsIssuedIn(facts.alerts, range);
  return {
    tickets: facts.tickets.filter((f) => inRange.tickets(f, range)),
    feedback: facts.feedback.filter((f) => inRange.feedback(f, range)),
    jobs: facts.jobs.filter((f) => inRange.jobs(f, range)),
    elders: facts.elders.filter((f) => inRange.elders(f, range)),
    visits: facts.visits.filter((f) => inRange.visits(f, range)),
    cases: facts.cases.filter((f) => inRange.cases(f, range)),
    alerts: facts.alerts.filter((f) => inRange.alerts(f, range)),
    alertRecipients: facts.alertRecipients.filter((f) => inRange.alertRecipients(f, range, issued)),
  };
}
