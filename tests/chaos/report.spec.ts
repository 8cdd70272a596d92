// The chaos report's arithmetic: totals, pass/fail and exit status, the results table of docs/resilience.md.
import {
  RESULTS_END,
  RESULTS_START,
  exitCode,
  formatRecovery,
  passed,
  resultsMarkdown,
  rewriteResults,
  totals,
  type ScenarioResult,
} from './support/report';
import type { PartCheck } from './support/types';

const part = (name: string, expected: number, lost = 0, duplicated = 0): PartCheck => ({
  part: name,
  expected,
  final: expected - lost - duplicated,
  lost: Array.from({ length: lost }, (_, i) => ({ id: `${name}-l${i}`, what: 'stuck' })),
  duplicated: Array.from({ length: duplicated }, (_, i) => ({ id: `${name}-d${i}`, what: 'twice' })),
  notes: [],
});

const result = (parts: PartCheck[], recoverMs?: number | null): ScenarioResult => ({
  scenario: 'kill-instance',
  what: 'kill -9',
  startedAt: '2026-11-29T21:00:00.000Z',
  finishedAt: '2026-11-29T21:10:00.000Z',
  commit: 'abc1234',
  machine: '2 × cpu, 23 GB',
  load: { parts: parts.map((p) => p.part), intensity: 1, minutes: 4, scale: 'dispatch=3', seed: 9 },
  recoverMs,
  parts,
  notes: [],
});

describe('totals and verdicts', () => {
  it('add up expected, final, lost and duplicated over the parts', () => {
    expect(totals([part('tickets', 40, 1), part('cases', 10, 0, 2)])).toEqual({
      expected: 50,
      final: 47,
      lost: 1,
      duplicated: 2,
    });
  });

  it('pass a scenario with nothing lost or duplicated that recovered', () => {
    expect(passed(result([part('tickets', 40)], 12_000))).toBe(true);
    expect(passed(result([part('tickets', 40)]))).toBe(true); // the baseline: no fault, no recovery
  });

  it('fail on one lost, one duplicated, no recovery, or no part checked', () => {
    expect(passed(result([part('tickets', 40, 1)], 1000))).toBe(false);
    expect(passed(result([part('tickets', 40, 0, 1)], 1000))).toBe(false);
    expect(passed(result([part('tickets', 40)], null))).toBe(false);
    expect(passed(result([], 1000))).toBe(false);
  });

  it('exit non-zero when any scenario failed, or none ran', () => {
    expect(exitCode([result([part('t', 1)], 1)])).toBe(0);
    expect(exitCode([result([part('t', 1)], 1), result([part('t', 1, 1)], 1)])).toBe(1);
    expect(exitCode([])).toBe(1);
  });

  it('print the recovery time in seconds, or why there is none', () => {
    expect(formatRecovery(12_345)).toBe('12.3 s');
    expect(formatRecovery(null)).toBe('not recovered');
    expect(formatRecovery(undefined)).toBe('—');
  });
});

describe('the results table of docs/resilience.md', () => {
  it('is replaced between its markers, the rest of the document kept', () => {
    const doc = `# Resilience\n\nintro\n\n${RESULTS_START}\nold table\n${RESULTS_END}\n\nafter\n`;
    const table = resultsMarkdown([result([part('tickets', 40, 1)], 9_000)]);
    const rewritten = rewriteResults(doc, table);
    expect(rewritten).toContain('intro');
    expect(rewritten).toContain('after');
    expect(rewritten).not.toContain('old table');
    expect(rewritten).toContain('| kill-instance | 1 | 0 | 9.0 s | tickets 39/40 (lost 1, dup 0) |');
    expect(rewriteResults(rewritten, table)).toBe(rewritten);
  });

  it('refuses a document without the markers', () => {
    expect(() => rewriteResults('# no markers', 'x')).toThrow(/chaos-results/);
  });
});
