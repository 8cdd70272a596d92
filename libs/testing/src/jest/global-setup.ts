// Jest global setup for suites that need the real stack: resolve it once per run and export its addresses.
import { exportInfrastructure, resolveInfrastructure } from '../infrastructure';

export default async function globalSetup(): Promise<void> {
  const g = globalThis as { __linliInfraStop?: () => Promise<void> };
  if (process.env.LINLI_INFRA_SOURCE && process.env.KAFKA_BROKERS) return;
  const infra = await resolveInfrastructure();
  exportInfrastructure(infra);
  g.__linliInfraStop = infra.stop;
  process.stdout.write(
    `\n[linli] infrastructure from ${infra.source}: kafka ${infra.kafkaBrokers.join(',')}, ` +
      `mongo ${infra.mongoUrl}, redis ${infra.redisUrl}\n`,
  );
}
