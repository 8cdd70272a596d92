// The chaos runner of issue 9: a realistic day of load on a multi-instance platform, one fault per scenario in the
// middle of it, then the proof that every ticket, job, visit, case and alert reached its correct final state exactly
// once, and how long the platform took to recover. Scenarios: baseline (no fault) and the six of support/faults.ts.
//
//   npm run chaos -- [--scenario <name>|all] [--minutes 4] [--intensity 1] [--parts all|smoke|tickets,cases,...]
//                    [--scale "dispatch=3 resident-requests=2"] [--seed 9] [--report]
//   npm run chaos -- --report-only        rewrite docs/resilience.md's results from tmp/chaos/*.json, run nothing
//
// Writes tmp/chaos/<scenario>.json, prints a table, exits non-zero when anything was lost or duplicated (or did not
// recover). Runs on a private stack (ports 42xxx, services at +2000), never on the one other tests use.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allFaults } from './support/faults';
import { CHAOS_DIR, REPO, log, parseScale } from './support/platform';
import {
  exitCode,
  formatTable,
  resultsMarkdown,
  rewriteResults,
  type ScenarioResult,
} from './support/report';
import { SCENARIO_DEFAULTS, machine, runScenario } from './support/scenario';

const RESILIENCE_DOC = path.join(REPO, 'docs/resilience.md');

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  if (at >= 0) return args[at + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function scenarioNames(): string[] {
  return ['baseline', ...allFaults().map((f) => f.name)];
}

function savedResults(): ScenarioResult[] {
  return scenarioNames()
    .map((name) => path.join(CHAOS_DIR, `${name}.json`))
    .filter((file) => existsSync(file))
    .map((file) => JSON.parse(readFileSync(file, 'utf8')) as ScenarioResult);
}

function writeReport(): void {
  const document = readFileSync(RESILIENCE_DOC, 'utf8');
  writeFileSync(RESILIENCE_DOC, rewriteResults(document, resultsMarkdown(savedResults())));
  log(`docs/resilience.md: results table rewritten from tmp/chaos/*.json`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--report-only')) {
    writeReport();
    return 0;
  }
  const wanted = option(args, 'scenario') ?? 'all';
  const names = wanted === 'all' ? scenarioNames() : wanted.split(',');
  for (const name of names) {
    if (!scenarioNames().includes(name))
      throw new Error(`no scenario ${name}: ${scenarioNames().join(', ')}`);
  }
  const options = {
    parts: (option(args, 'parts') ?? 'all').split(','),
    minutes: Number(option(args, 'minutes') ?? SCENARIO_DEFAULTS.minutes),
    intensity: Number(option(args, 'intensity') ?? SCENARIO_DEFAULTS.intensity),
    seed: Number(option(args, 'seed') ?? SCENARIO_DEFAULTS.seed),
    scale: parseScale(option(args, 'scale')),
    recoverTimeoutMs: SCENARIO_DEFAULTS.recoverTimeoutMs,
    finishTimeoutMs: SCENARIO_DEFAULTS.finishTimeoutMs,
  };
  const results: ScenarioResult[] = [];
  for (const name of names) {
    const fault = allFaults().find((f) => f.name === name);
    results.push(
      await runScenario(name, fault, options).catch((error: Error): ScenarioResult => {
        // One scenario that could not run (the platform did not start, a fault could not be injected) fails alone.
        log(`${name} could not run: ${error.stack ?? error.message}`);
        const now = new Date().toISOString();
        return {
          scenario: name,
          what: fault?.what ?? 'no fault',
          startedAt: now,
          finishedAt: now,
          commit: '',
          machine: machine(),
          load: {
            parts: options.parts,
            intensity: options.intensity,
            minutes: options.minutes,
            scale: '',
            seed: options.seed,
          },
          recoverMs: null,
          parts: [],
          notes: [`did not run: ${error.message.slice(0, 300)}`],
        };
      }),
    );
    log(`\n${formatTable(results)}\n`);
  }
  if (args.includes('--report')) writeReport();
  for (const result of results) {
    for (const part of result.parts) {
      for (const f of part.lost) log(`LOST ${result.scenario}/${part.part} ${f.id}: ${f.what}`);
      for (const f of part.duplicated) log(`DUPLICATED ${result.scenario}/${part.part} ${f.id}: ${f.what}`);
    }
  }
  return exitCode(results);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log(`chaos run failed: ${error.stack ?? error.message}`);
    process.exit(2);
  },
);
