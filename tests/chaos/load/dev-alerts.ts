// Plays the alerts part once against a running platform (see dev-platform.ts for the environment) and prints its
// check: prepare → play → finish → check. The fake SMS gateway listens on FAKE_SMS_PORT (44600): the platform's
// notifications must run with the part's env (printed first), SMS_GATEWAY_URL pointing at it.
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tests/chaos/load/dev-alerts.ts [durationMs=40000]
import { createAlertsPart } from './alerts';
import { devPlatform } from './dev-platform';
import { startFakeSmsGateway } from './fake-sms-gateway';

async function main(): Promise<void> {
  const platform = devPlatform();
  const sms = await startFakeSmsGateway(Number(process.env['FAKE_SMS_PORT'] ?? 44600));
  const part = createAlertsPart(sms);
  platform.log(`the part's env: ${JSON.stringify(part.env)}`);
  const plan = { seed: Date.now() % 100_000, durationMs: Number(process.argv[2] ?? 40_000), intensity: 1 };
  await part.prepare(platform, plan);
  await part.play(platform, plan, new AbortController().signal);
  await part.probe(platform);
  await part.finish(platform, 180_000);
  const check = await part.check(platform);
  process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
  await sms.stop();
  await platform.close();
  process.exit(check.lost.length + check.duplicated.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(2);
});
