// The arithmetic and text of a chaos run's report: totals per scenario, the printed table, the exit status, and the
// results table of docs/resilience.md (rewritten between its markers from the JSON files of tmp/chaos/).
import type { PartCheck } from './types';

export interface ScenarioResult {
  scenario: string;
  /** What the fault does (one sentence), or 'no fault' for the baseline. */
  what: string;
  startedAt: string;
  finishedAt: string;
  commit: string;
  machine: string;
  load: { parts: string[]; intensity: number; minutes: number; scale: string; seed: number };
  /** From the end of the fault (restore) until every instance is ready and every part's probe passed; null when it
   *  did not within the bound; undefined for the baseline. */
  recoverMs?: number | null;
  parts: PartCheck[];
  notes: string[];
}

export interface Totals {
  expected: number;
  final: number;
  lost: number;
  duplicated: number;
}

export function totals(parts: readonly PartCheck[]): Totals {
  return parts.reduce(
    (sum, part) => ({
      expected: sum.expected + part.expected,
      final: sum.final + part.final,
      lost: sum.lost + part.lost.length,
      duplicated: sum.duplicated + part.duplicated.length,
    }),
    { expected: 0, final: 0, lost: 0, duplicated: 0 },
  );
}

/** A scenario passes when nothing was lost or duplicated and, after a fault, the platform recovered. */
export function passed(result: ScenarioResult): boolean {
  const sum = totals(result.parts);
  return sum.lost === 0 && sum.duplicated === 0 && result.recoverMs !== null && result.parts.length > 0;
}

export function exitCode(results: readonly ScenarioResult[]): number {
  return results.length > 0 && results.every(passed) ? 0 : 1;
}

export function formatRecovery(recoverMs: number | null | undefined): string {
  if (recoverMs === undefined) return '—';
  if (recoverMs === null) return 'not recovered';
  return `${(recoverMs / 1000).toFixed(1)} s`;
}

const partCell = (part: PartCheck) =>
  `${part.part} ${part.final}/${part.expected}` +
  (part.lost.length || part.duplicated.length
    ? ` (lost ${part.lost.length}, dup ${part.duplicated.length})`
    : '');

/** The console table of a run: one line per scenario. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const rows = results.map((r) => {
    const sum = totals(r.parts);
    return [
      r.scenario,
      String(sum.lost),
      String(sum.duplicated),
      formatRecovery(r.recoverMs),
      passed(r) ? 'PASS' : 'FAIL',
      r.parts.map(partCell).join('; '),
    ];
  });
  const head = ['scenario', 'lost', 'duplicated', 'recovered in', 'result', 'parts (final/expected)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  return [head, ...rows]
    .map((row) => row.map((cell, i) => cell.padEnd(widths[i] as number)).join('  '))
    .join('\n');
}

export const RESULTS_START = '<!-- chaos-results:start -->';
export const RESULTS_END = '<!-- chaos-results:end -->';

/** The markdown results table of docs/resilience.md, scenarios in the given order. */
export function resultsMarkdown(results: readonly ScenarioResult[]): string {
  if (results.length === 0) return '_No run recorded yet: `npm run chaos -- --scenario all --report`._';
  const first = results[0] as ScenarioResult;
  const lines = [
    `Run of ${first.startedAt.slice(0, 10)} at commit \`${first.commit}\` on ${first.machine}; ` +
      `load: ${first.load.parts.join(', ')} at intensity ${first.load.intensity} for ${first.load.minutes} min ` +
      `per scenario; instances: ${first.load.scale}.`,
    '',
    '| scenario | lost | duplicated | recovered in | parts (final / expected) | notes |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const sum = totals(r.parts);
    const notes = [...r.notes, ...r.parts.flatMap((p) => p.notes)].join('; ').replace(/\|/g, '\\|');
    lines.push(
      `| ${r.scenario} | ${sum.lost} | ${sum.duplicated} | ${formatRecovery(r.recoverMs)} | ` +
        `${r.parts.map(partCell).join('; ')} | ${notes || '—'} |`,
    );
  }
  return lines.join('\n');
}

/** The document with its results table replaced (the markers kept); throws when the markers are missing. */
export function rewriteResults(document: string, table: string): string {
  const start = document.indexOf(RESULTS_START);
  const end = document.indexOf(RESULTS_END);
  if (start < 0 || end < start)
    throw new Error(`the document has no ${RESULTS_START} … ${RESULTS_END} block`);
  return `${document.slice(0, start + RESULTS_START.length)}\n${table}\n${document.slice(end)}`;
}
