// The bounded read changes no number: over random facts scattered around and across the windows, every indicator
// computed on the facts a range needs equals the one computed on all of the node's facts, for each window of the
// range (a single period, or a trend's periods end to end), with `now` before, inside and after the range.
import { randomFacts } from '../../test/random-facts';
import { computeAll } from './definitions';
import { alertsIssuedIn, factsInRange, inRange, rangeOf } from './fact-ranges';
import type { AlertFact, AlertRecipientFact } from './facts';
import { trendPeriods } from './periods';

const COMMUNITY = '320106001001';

describe('factsInRange: the facts a range of windows needs', () => {
  const seeds = Array.from({ length: 40 }, (_, i) => 1000 + i);
  // A single day, a trend of seven days end to end, a month-long window reaching past every fact.
  const ranges = [
    trendPeriods('day', '2026-03-07', 1),
    trendPeriods('day', '2026-03-10', 7),
    trendPeriods('month', '2026-03-15', 1),
  ];
  const nows = ['2026-03-02T00:00:00Z', '2026-03-08T12:00:00Z', '2026-04-01T00:00:00Z'].map(
    (t) => new Date(t),
  );

  it.each(seeds)('gives every indicator the same result as all the facts (seed %i)', (seed) => {
    const facts = randomFacts(seed);
    for (const windows of ranges) {
      const bounded = factsInRange(facts, rangeOf(windows));
      for (const now of nows) {
        for (const period of windows) {
          const window = { start: period.start, end: period.end, now };
          expect(computeAll(bounded, window)).toEqual(computeAll(facts, window));
        }
      }
    }
  });

  it('leaves facts out (the bound is not vacuous)', () => {
    const facts = randomFacts(7);
    const bounded = factsInRange(facts, rangeOf(trendPeriods('day', '2026-03-07', 1)));
    for (const kind of [
      'tickets',
      'feedback',
      'jobs',
      'elders',
      'visits',
      'cases',
      'alertRecipients',
    ] as const) {
      expect(bounded[kind].length).toBeLessThan(facts[kind].length);
    }
  });

  it('keeps the recipients of an alert issued in the range whatever their own times say', () => {
    const range = { start: new Date('2026-03-05T00:00:00Z'), end: new Date('2026-03-06T00:00:00Z') };
    const alert: AlertFact = {
      alertId: 'a',
      incidentId: 'i',
      jurisdiction: COMMUNITY,
      issuedAt: new Date('2026-03-05T01:00:00Z'),
      areas: [],
    };
    const late: AlertRecipientFact = {
      alertId: 'a',
      recipientId: 'r',
      jurisdiction: COMMUNITY,
      deliveredAt: new Date('2026-03-07T00:00:00Z'),
    };
    expect(inRange.alertRecipients(late, range, alertsIssuedIn([alert], range))).toBe(true);
    expect(inRange.alertRecipients(late, range, new Set())).toBe(false);
  });

  it('spans the windows end to end', () => {
    const windows = trendPeriods('week', '2026-03-15', 3);
    expect(rangeOf(windows)).toEqual({ start: windows[0].start, end: windows[2].end });
  });
});
