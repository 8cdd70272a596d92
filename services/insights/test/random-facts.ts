// Random facts for the bounded-read tests (unit: the arithmetic on them; integration: the stored query): every
// time scattered over 1 to 14 March 2026 (Asia/Shanghai), optional fields present or not, spans open or closed,
// recipients of known alerts and of alerts never seen, so each branch of each time condition is exercised.
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
} from '../src/indicators/facts';

/** A small seeded generator (mulberry32), so a failure reproduces. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const chance = (p: number) => next() < p;
  return { next, pick, chance };
}

const DAY_MS = 86_400_000;
/** The days the random times fall in: 1 to 14 March 2026, around the trend's days 4 to 10 March. */
const BASE = Date.parse('2026-03-01T00:00:00+08:00');
const SPAN_MS = 14 * DAY_MS;

/** Some dozens of facts of every kind in `jurisdiction`, the same for the same seed. */
export function randomFacts(seed: number, jurisdiction = '320106001001'): FactSet {
  const { next, pick, chance } = generator(seed);
  const time = () => new Date(BASE + Math.floor(next() * SPAN_MS));
  const maybe = (p = 0.6) => (chance(p) ? time() : undefined);
  const after = (from: Date, p = 0.7) =>
    chance(p) ? new Date(from.getTime() + Math.floor(next() * 4 * DAY_MS)) : undefined;
  const n = (k: number) => Array.from({ length: 8 + Math.floor(next() * k) }, (_, i) => i);
  const opt = <K extends string, V>(key: K, value: V | undefined) =>
    (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

  const tickets: TicketFact[] = n(30).map((i) => {
    const createdAt = time();
    return {
      ticketId: `t${i}`,
      version: 1,
      jurisdiction,
      createdAt,
      category: 'repair',
      ...opt('resolveDueAt', after(createdAt, 0.85)),
      ...opt('firstResolvedAt', after(createdAt, 0.6)),
      ...opt('cancelledAt', after(createdAt, 0.2)),
    };
  });
  const feedback: FeedbackFact[] = n(20).map((i) => ({
    eventId: `f${i}`,
    ticketId: `t${i}`,
    jurisdiction,
    recordedAt: time(),
    satisfaction: 1 + Math.floor(next() * 5),
  }));
  const jobs: JobFact[] = n(30).map((i) => {
    const requestedAt = maybe(0.7);
    const acceptedAt = requestedAt ? after(requestedAt, 0.7) : maybe(0.4);
    const startedAt = acceptedAt ? after(acceptedAt, 0.7) : undefined;
    return {
      jobId: `j${i}`,
      version: 2,
      jurisdiction,
      ...opt('requestedAt', requestedAt),
      ...opt('firstOfferedAt', maybe(0.5)),
      ...opt('acceptedAt', acceptedAt),
      ...opt('startedAt', startedAt),
      ...opt('completedAt', startedAt ? after(startedAt, 0.8) : maybe(0.2)),
      ...opt(
        'providerKind',
        chance(0.9) ? pick(['community', 'volunteer', 'charity', 'company'] as const) : undefined,
      ),
    };
  });
  const elders: ElderFact[] = n(15).map((i) => {
    const spans: ElderFact['activeSpans'] = [];
    let from = time();
    for (let k = 0; k < 3; k += 1) {
      const to = after(from, 0.6);
      spans.push({ from, ...opt('to', to) });
      if (!to || chance(0.5)) break;
      from = new Date(to.getTime() + Math.floor(next() * 2 * DAY_MS));
    }
    return {
      elderId: `e${i}`,
      version: 1,
      jurisdiction,
      livingSituation: pick(['alone', 'empty-nest', 'with-family'] as const),
      hardship: chance(0.3) ? ['low-income' as const] : [],
      activeSpans: spans,
    };
  });
  const visits: VisitFact[] = n(40).map((i) => ({
    visitId: `v${i}`,
    version: 3,
    elderId: `e${Math.floor(next() * 20)}`,
    jurisdiction,
    source: pick(['plan', 'discover'] as const),
    service: pick(['meal-delivery', 'safety-visit'] as const),
    dueAt: time(),
    ...opt('completedAt', maybe(0.7)),
    ...opt('itemsDone', chance(0.3) ? (['safety-visit'] as const).slice() : undefined),
  }));
  const cases: CaseFact[] = n(20).map((i) => {
    const openedAt = time();
    const outcomeAt = after(openedAt, 0.6);
    return {
      caseId: `c${i}`,
      version: 1,
      jurisdiction,
      openedAt,
      timeLimitAt: new Date(openedAt.getTime() + Math.floor(next() * 5 * DAY_MS)),
      ...opt('outcome', outcomeAt ? pick(['agreement', 'failed', 'referred'] as const) : undefined),
      ...opt('outcomeAt', outcomeAt),
      ...opt('withinTimeLimit', outcomeAt ? chance(0.6) : undefined),
      ...opt('withdrawnAt', chance(0.15) ? after(openedAt) : undefined),
    };
  });
  const alerts: AlertFact[] = n(4).map((i) => ({
    alertId: `a${i}`,
    incidentId: `i${i}`,
    jurisdiction,
    issuedAt: time(),
    areas: [],
  }));
  // Recipients of known alerts and of alerts never seen (a1xx), with or without the acknowledgement's time.
  const alertRecipients: AlertRecipientFact[] = n(40).map((i) => {
    const alertId = chance(0.7) ? pick(alerts).alertId : `a1${i % 5}`;
    const alertIssuedAt = maybe(0.5);
    return {
      alertId,
      recipientId: `r${i}`,
      jurisdiction,
      ...opt('alertIssuedAt', alertIssuedAt),
      ...opt('deliveredAt', maybe(0.7)),
      ...opt('acknowledgedAt', chance(0.6) ? (after(alertIssuedAt ?? time(), 1) as Date) : undefined),
    };
  });
  return { tickets, feedback, jobs, elders, visits, cases, alerts, alertRecipients };
}
