// Plays the cases part once against a running platform (see dev-platform.ts for the environment) and prints its
// check: prepare → play → finish → check. The platform must run with the part's env (printed first).
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tests/chaos/load/dev-cases.ts [durationMs=60000] [intensity=1]
import { devPlatform } from './dev-platform';
import { casesPart } from './cases';

async function main(): Promise<void> {
  const platform = devPlatform();
  const durationMs = Number(process.argv[2] ?? 60_000);
  const intensity = Number(process.argv[3] ?? 1);
  platform.log(`the part's env: ${JSON.stringify(casesPart.env)}`);
  const plan = { seed: Date.now() % 100_000, durationMs, intensity };
  await casesPart.prepare(platform, plan);
  await casesPart.play(platform, plan, new AbortController().signal);
  await casesPart.probe(platform);
  await casesPart.finish(platform, 180_000);
  const check = await casesPart.check(platform);
  process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
  await platform.close();
  process.exit(check.lost.length + check.duplicated.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
