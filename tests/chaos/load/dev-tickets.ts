// Proves the tickets and visits parts against a platform that is already running (it starts nothing): prepare →
// play → finish → check once, printing each PartCheck. The platform's addresses come from the environment:
//   GATEWAY_URL, RESIDENT_REQUESTS_URL, DISPATCH_URL, ELDER_CARE_URL, MONGO_URL, BOOTSTRAP_ADMIN_PASSWORD,
//   LINLI_NAMESPACE (if the platform has one); DAY_MS (default 120000), INTENSITY (1), SEED, PARTS (tickets,visits),
//   FINISH_MS (300000), PROBE=1 (each part's probe once after the day), CHECK_ONLY=1 (the last run's ledgers checked again).
//   node -r @swc-node/register tests/chaos/load/dev-tickets.ts
import { MongoClient } from 'mongodb';
import { namespaced } from '@linli/platform';
import type { ChaosPlatform, LoadPart, ServiceName } from '../support/types';
import { SERVICES } from '../support/platform';
import { tickets } from './tickets';
import { visits } from './visits';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

async function main(): Promise<void> {
  const mongo = await MongoClient.connect(env('MONGO_URL'));
  const url = (name: string) => env(`${name.toUpperCase().replace(/-/g, '_')}_URL`, '').split(',');
  const platform: ChaosPlatform = {
    gatewayUrl: env('GATEWAY_URL'),
    serviceUrls: Object.fromEntries(SERVICES.map((name) => [name, url(name)])) as Record<
      ServiceName,
      string[]
    >,
    env: process.env as Record<string, string>,
    adminPassword: env('BOOTSTRAP_ADMIN_PASSWORD'),
    database: async (service) => mongo.db(namespaced(`linli-${service}`, '-')),
    log: (message) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`),
  };
  const plan = {
    seed: Number(process.env['SEED'] ?? Date.now() % 100_000),
    durationMs: Number(process.env['DAY_MS'] ?? 120_000),
    intensity: Number(process.env['INTENSITY'] ?? 1),
  };
  const all: Record<string, LoadPart> = { tickets, visits };
  const parts = env('PARTS', 'tickets,visits')
    .split(',')
    .map((name) => all[name] as LoadPart);
  if (process.env['CHECK_ONLY'] === '1') {
    // The last run's check again, from its ledgers in tmp/chaos/.
    for (const part of parts)
      process.stdout.write(`${JSON.stringify(await part.check(platform), null, 1)}\n`);
    await mongo.close();
    process.exit(0);
  }
  const started = Date.now();
  for (const part of parts) await part.prepare(platform, plan);
  platform.log(
    `prepared in ${Date.now() - started} ms; playing ${plan.durationMs} ms at intensity ${plan.intensity}`,
  );
  const day = new AbortController();
  const timer = setTimeout(() => day.abort(), plan.durationMs);
  await Promise.all(parts.map((part) => part.play(platform, plan, day.signal)));
  clearTimeout(timer);
  if (process.env['PROBE'] === '1') {
    for (const part of parts) {
      const t = Date.now();
      await part.probe(platform);
      platform.log(`${part.name} probe: ${Date.now() - t} ms`);
    }
  }
  day.abort();
  const finishing = Date.now();
  await Promise.all(parts.map((part) => part.finish(platform, Number(process.env['FINISH_MS'] ?? 300_000))));
  platform.log(`finished in ${Date.now() - finishing} ms`);
  for (const part of parts) {
    const result = await part.check(platform);
    process.stdout.write(`${JSON.stringify(result, null, 1)}\n`);
  }
  await mongo.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
