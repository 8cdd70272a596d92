// Re-seals personal data under the active key (PERSONAL_DATA_KEY_ID), and seals clear values stored before
// encryption: `npm run personal-data:rotate -- --service <name>|all [--batch <n>]`. Run it with the service's own
// environment (MONGO_URL, MONGO_DB, LINLI_NAMESPACE, PERSONAL_DATA_KEYS with the old keys still in the ring).
// Safe to run while the service runs and to run again: each write is conditional on the value read (ADR 0026).
//
// The collections come from the service's own schemas: every `*.schema.ts` under services/<name>/src is loaded and
// each exported schema with personal paths is rotated, so a new personal field needs no change here.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  personalDataCipherFromEnv,
  personalPathSetOf,
  rotatePersonalData,
  ROTATION_DEFAULT_BATCH_SIZE,
  type RotationCounts,
} from '@linli/persistence';
import { namespaced } from '@linli/platform';
import { MongoClient } from 'mongodb';
import mongoose, { Schema } from 'mongoose';

/** The services whose schemas hold personal data. */
const SERVICES = ['resident-requests', 'elder-care', 'mediation', 'emergency', 'notifications'] as const;

/** Schemas without a `collection` option: the model name they are registered under (mongoose pluralises it). */
const MODEL_NAMES: Record<string, string> = {
  contactSchema: 'NotificationContact',
  webhookSchema: 'NotificationWebhook',
  recordedSmsSchema: 'NotificationRecordedSms',
};

const root = path.resolve(__dirname, '..');

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    `usage: npm run personal-data:rotate -- --service <${SERVICES.join('|')}|all> [--batch <n>]\n`,
  );
  process.exit(2);
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  return args[index + 1] ?? usage(`--${name} needs a value`);
}

interface Target {
  collection: string;
  schema: Schema;
}

/** The collections of a service that hold personal data, from its schema files. */
async function targetsOf(service: string): Promise<Target[]> {
  const source = path.join(root, 'services', service, 'src');
  const files = readdirSync(source, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.schema.ts') && !file.endsWith('.spec.ts'),
  );
  const pluralize = mongoose.pluralize() as ((name: string) => string) | null;
  const targets = new Map<string, Target>();
  for (const file of files) {
    const exported = (await import(path.join(source, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) {
      if (!(value instanceof Schema) || personalPathSetOf(value).isEmpty) continue;
      const collection =
        (value.get('collection') as string | undefined) ??
        (MODEL_NAMES[name] && pluralize ? pluralize(MODEL_NAMES[name]) : undefined);
      if (!collection) {
        // A sub-schema exported for reuse is rotated with the document it is part of.
        process.stderr.write(
          `note: ${service} ${file} ${name} has personal paths but no collection; skipped\n`,
        );
        continue;
      }
      targets.set(collection, { collection, schema: value });
    }
  }
  return [...targets.values()].sort((a, b) => a.collection.localeCompare(b.collection));
}

async function rotateService(service: string, batchSize: number): Promise<RotationCounts[]> {
  // The service's own configuration (database name and URL, validated as at its start-up).
  const { config } = (await import(path.join(root, 'services', service, 'src', 'config.ts'))) as {
    config: { MONGO_URL: string; MONGO_DB: string };
  };
  const cipher = personalDataCipherFromEnv();
  const client = await MongoClient.connect(config.MONGO_URL, { serverSelectionTimeoutMS: 10_000 });
  try {
    const db = client.db(namespaced(config.MONGO_DB, '-'));
    const results: RotationCounts[] = [];
    for (const target of await targetsOf(service)) {
      const counts = await rotatePersonalData(
        db.collection(target.collection),
        personalPathSetOf(target.schema),
        cipher,
        { batchSize },
      );
      results.push(counts);
      process.stdout.write(`${JSON.stringify({ service, activeKeyId: cipher.activeKeyId, ...counts })}\n`);
    }
    return results;
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const service = option(args, 'service') ?? usage('--service is required');
  const batchSize = Number(option(args, 'batch') ?? ROTATION_DEFAULT_BATCH_SIZE);
  if (!Number.isInteger(batchSize) || batchSize < 1) usage('--batch must be a positive integer');
  if (service !== 'all' && !(SERVICES as readonly string[]).includes(service))
    usage(`unknown service ${service}`);
  const services = service === 'all' ? [...SERVICES] : [service];
  let failures = 0;
  for (const name of services) {
    for (const counts of await rotateService(name, batchSize)) failures += counts.failures.length;
  }
  // Values that did not open are left as they were: the run is not done until they are looked at.
  if (failures > 0) {
    process.stderr.write(`${failures} value(s) could not be opened (see failures above)\n`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
