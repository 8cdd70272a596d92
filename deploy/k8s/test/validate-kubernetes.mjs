// Validates sets of Kubernetes resources (a JSON array of arrays on stdin) with kubernetes-models' generated
// validators and prints the findings of each set (a JSON array of arrays). A separate Node process because kubernetes-models ships ES modules only, which jest's
// CommonJS loader does not run; plain Node imports them.
import { text } from 'node:stream/consumers';

// Strimzi's resources (kafka.strimzi.io) against its CRD schemas, as @kubernetes-models publishes them; the rest
// against the Kubernetes API of kubernetes-models.
const packageOf = (apiVersion) =>
  apiVersion.startsWith('kafka.strimzi.io/')
    ? '@kubernetes-models/strimzi-kafka-operator'
    : 'kubernetes-models';

const sets = JSON.parse(await text(process.stdin));
const results = [];
for (const resources of sets) {
  const findings = [];
  results.push(findings);
  for (const resource of resources) {
    const where = `${resource.kind}/${resource.metadata?.name}`;
    let model;
    try {
      model = (await import(`${packageOf(resource.apiVersion)}/${resource.apiVersion}`))[resource.kind];
    } catch {
      model = undefined;
    }
    if (typeof model !== 'function') {
      findings.push(`${where}: no schema for ${resource.apiVersion} ${resource.kind}`);
      continue;
    }
    try {
      new model(resource).validate();
    } catch (error) {
      findings.push(`${where}: ${String(error.message).split('\n')[0]}`);
    }
  }
}
process.stdout.write(JSON.stringify(results));
