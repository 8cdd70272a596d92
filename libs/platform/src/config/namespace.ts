// One deployment's names apart from another's on shared infrastructure: with LINLI_NAMESPACE=staging the
// services use Kafka topics `staging.linli.…`, consumer groups `staging.linli.<service>`, databases
// `staging-linli-<service>` and Bull keys `staging:linli:…`. The test harness gives each test file of the services
// its own namespace, so two files running at once never share a topic, a consumer group, a queue or a database.
// Unset (production, `npm start`), every name is the plain one.

export const NAMESPACE_VARIABLE = 'LINLI_NAMESPACE';
const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

export function deploymentNamespace(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[NAMESPACE_VARIABLE]?.trim();
  if (!value) return undefined;
  if (!NAMESPACE_PATTERN.test(value)) {
    throw new Error(
      `${NAMESPACE_VARIABLE} must match ${NAMESPACE_PATTERN} (it becomes part of topic and key names)`,
    );
  }
  return value;
}

/** `name` inside the deployment's namespace (unchanged when there is none, or when it is already inside). */
export function namespaced(name: string, separator = '.', env: NodeJS.ProcessEnv = process.env): string {
  const namespace = deploymentNamespace(env);
  if (!namespace) return name;
  const prefix = `${namespace}${separator}`;
  return name.startsWith(prefix) ? name : `${prefix}${name}`;
}
