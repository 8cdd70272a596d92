// A ChaosPlatform over a platform that is already running, from the environment, for the dev drivers of the load
// parts (dev-cases.ts, dev-alerts.ts): they start nothing.
//   GATEWAY_URL (http://127.0.0.1:3100), LINLI_PORT_OFFSET (0: each service at its port of services.tsv plus it),
//   MONGO_URL (mongodb://127.0.0.1:27017), LINLI_NAMESPACE (none), BOOTSTRAP_ADMIN_PASSWORD.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import type { ChaosPlatform, ServiceName } from '../support/types';

export interface DevPlatform extends ChaosPlatform {
  close(): Promise<void>;
}

export function devPlatform(env: NodeJS.ProcessEnv = process.env): DevPlatform {
  const offset = Number(env['LINLI_PORT_OFFSET'] ?? 0);
  const lines = readFileSync(join(process.cwd(), 'deploy/local/services.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'));
  const serviceUrls = {} as Record<ServiceName, string[]>;
  for (const line of lines) {
    const [name, port] = line.trim().split(/\s+/);
    serviceUrls[name as ServiceName] = [`http://127.0.0.1:${Number(port) + offset}`];
  }
  const gatewayUrl = env['GATEWAY_URL'] ?? (serviceUrls.gateway[0] as string);
  const mongoUrl = env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017';
  const namespace = env['LINLI_NAMESPACE'];
  const client = new MongoClient(mongoUrl);
  let connected: Promise<MongoClient> | undefined;
  const adminPassword = env['BOOTSTRAP_ADMIN_PASSWORD'] ?? 'linli-admin-2026!';
  return {
    gatewayUrl,
    serviceUrls,
    env: { MONGO_URL: mongoUrl, ...(namespace ? { LINLI_NAMESPACE: namespace } : {}) },
    adminPassword,
    async database(service: ServiceName): Promise<Db> {
      connected ??= client.connect();
      const name = `linli-${service}`;
      return (await connected).db(namespace ? `${namespace}-${name}` : name);
    },
    log(message: string) {
      process.stdout.write(`[${new Date().toISOString()}] ${message}\n`);
    },
    async close() {
      await client.close();
    },
  };
}
