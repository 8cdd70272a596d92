// Stops testcontainers started by the global setup; the local stack is left running for the next run.
export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __linliInfraStop?: () => Promise<void> };
  await g.__linliInfraStop?.();
}
