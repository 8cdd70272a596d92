// The soak's bounds as arithmetic: growth, slope, lag under load and its drain, the outbox.
import { evaluateSoak, slope, SOAK_BOUNDS, type SoakPoint } from './support/bounds';

const MIN = 60_000;

/** A 30-minute soak sampled every 30 s, load stopping at minute 30, then two minutes of drain. */
function soak(
  rss: (t: number) => number,
  lag: (t: number) => number,
  outbox = (_t: number) => 0,
): SoakPoint[] {
  const points: SoakPoint[] = [];
  for (let t = 0; t <= 32 * MIN; t += 30_000) {
    points.push({ t, rssMb: { 'dispatch-1': rss(t) }, lag: { 'linli.dispatch': lag(t) }, outbox: outbox(t) });
  }
  return points;
}

const verdict = (points: SoakPoint[], bound: string) =>
  evaluateSoak(points, 30 * MIN).find((r) => r.bound === bound)?.pass;

describe('slope', () => {
  it('is the least-squares slope, and 0 for fewer than two points', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2);
    expect(slope([0, 1, 2], [4, 4, 4])).toBe(0);
    expect(slope([5], [1])).toBe(0);
  });
});

describe('the soak bounds', () => {
  const flat = () => 180;
  const quiet = (t: number) => (t > 30 * MIN ? 0 : 20);

  it('pass for memory that levels off after the warm-up, bounded lag that drains, and an empty outbox', () => {
    const rising = (t: number) => 150 + 30 * Math.min(1, t / (5 * MIN));
    const results = evaluateSoak(soak(rising, quiet), 30 * MIN);
    expect(results.filter((r) => !r.pass)).toEqual([]);
  });

  it('fail on memory that keeps growing (a leak of 2 MB a minute)', () => {
    expect(
      verdict(
        soak((t) => 150 + (2 * t) / MIN, quiet),
        'rss dispatch-1',
      ),
    ).toBe(false);
  });

  it('judge start-up growth as warm-up, not as a leak', () => {
    expect(
      verdict(
        soak((t) => (t < 4 * MIN ? 80 : 180), quiet),
        'rss dispatch-1',
      ),
    ).toBe(true);
  });

  it('fail when a group falls behind under load', () => {
    const behind = (t: number) => (t > 20 * MIN && t < 22 * MIN ? SOAK_BOUNDS.maxLag + 1 : 0);
    expect(verdict(soak(flat, behind), 'lag under load')).toBe(false);
  });

  it('fail when the lag has not drained within a minute of the load stopping', () => {
    expect(
      verdict(
        soak(flat, (t) => (t < 31.5 * MIN ? 5 : 0)),
        'lag drained',
      ),
    ).toBe(false);
    expect(
      verdict(
        soak(flat, (t) => (t < 30.5 * MIN ? 5 : 0)),
        'lag drained',
      ),
    ).toBe(true);
  });

  it('fail when the outbox is not empty at the end', () => {
    expect(
      verdict(
        soak(flat, quiet, () => 3),
        'outbox',
      ),
    ).toBe(false);
  });

  it('do not read GC noise over a few minutes as a trend, but still judge the growth', () => {
    const noisy = soak((t) => 180 + ((t / 30_000) % 2 === 0 ? 0 : 3), quiet).filter((p) => p.t <= 5 * MIN);
    expect(evaluateSoak(noisy, 4 * MIN).find((r) => r.bound === 'rss dispatch-1')).toMatchObject({
      pass: true,
      detail: expect.stringContaining('slope not judged'),
    });
    const doubling = soak((t) => 10 + (100 * t) / MIN, quiet).filter((p) => p.t <= 5 * MIN);
    expect(evaluateSoak(doubling, 4 * MIN).find((r) => r.bound === 'rss dispatch-1')?.pass).toBe(false);
  });

  it('judge a short trial soak with a warm-up a third of its length', () => {
    const points = soak(flat, quiet).filter((p) => p.t <= 6 * MIN);
    const results = evaluateSoak(points, 5 * MIN);
    expect(results.find((r) => r.bound === 'rss dispatch-1')?.pass).toBe(true);
  });
});
