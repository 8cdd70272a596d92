// The rules deploy/k8s must keep, as functions from rendered resources to findings (one line each, empty when
// all is well), so the test can show each rule catching a broken copy of the manifests.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { containersOf, type Container, type Resource } from './kustomize';

export const root = path.resolve(__dirname, '../../..');

export interface ServiceFacts {
  name: string;
  port: number;
  /** Every variable the service reads: its config schema and direct reads in its source and the libraries. */
  reads: Set<string>;
  /** Variables it cannot run without in a cluster: required with no default, or defaulting to this machine. */
  required: Set<string>;
}

export interface Facts {
  services: ServiceFacts[];
  /** Paths the services serve to probes (libs/platform's HealthController). */
  probePaths: Set<string>;
  /** The connection variables deploy/local/stack.sh exports to every service. */
  stackVariables: string[];
  /** Variables docker-compose.yml gives each service. */
  composeVariables: Record<string, string[]>;
  /** Topic names (with .dlq) of libs/contracts' catalogue. */
  topics: string[];
}

/** Development-only switches compose sets on a laptop and a cluster must not. */
export const DEV_ONLY_VARIABLES = new Set(['AUTH_ALLOW_DEV_SECRET', 'PERSONAL_DATA_ALLOW_DEV_KEY']);
const REQUIRED_KINDS = [
  'Deployment',
  'Service',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'NetworkPolicy',
];
/** The gateway's live-push consumer has one group per instance; the other services share one group each. */
const PARTITION_BOUND_EXEMPT = new Set(['gateway']);

const byKind = (resources: Resource[], kind: string) => resources.filter((r) => r.kind === kind);
const find = (resources: Resource[], kind: string, name: string) =>
  resources.find((r) => r.kind === kind && r.metadata.name === name);

export function missingResources(resources: Resource[], facts: Facts): string[] {
  return facts.services.flatMap((service) =>
    REQUIRED_KINDS.filter((kind) => !find(resources, kind, service.name)).map(
      (kind) => `${service.name}: no ${kind}`,
    ),
  );
}

interface Probe {
  httpGet?: { path: string; port: number | string };
}

/** Probes on paths the services serve, at the port of deploy/local/services.tsv, and a Service on that port. */
export function probeFindings(resources: Resource[], facts: Facts): string[] {
  const findings: string[] = [];
  for (const service of facts.services) {
    const deployment = find(resources, 'Deployment', service.name);
    const container = deployment && containersOf(deployment).find((c) => c.name === service.name);
    if (!container) continue;
    const ports = (container.ports ?? []) as { name?: string; containerPort: number }[];
    const portOf = (port: number | string) =>
      typeof port === 'number' ? port : ports.find((p) => p.name === port)?.containerPort;
    const env = (container.env ?? []) as { name: string; value?: string }[];
    const httpPort = env.find((e) => e.name === 'HTTP_PORT')?.value;
    if (httpPort !== String(service.port)) {
      findings.push(`${service.name}: HTTP_PORT is ${httpPort}, services.tsv says ${service.port}`);
    }
    for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      const probe = container[kind] as Probe | undefined;
      if (!probe?.httpGet) {
        findings.push(`${service.name}: no HTTP ${kind}`);
        continue;
      }
      if (!facts.probePaths.has(probe.httpGet.path)) {
        findings.push(`${service.name}: ${kind} on ${probe.httpGet.path}, which no service serves`);
      }
      if (portOf(probe.httpGet.port) !== service.port) {
        findings.push(
          `${service.name}: ${kind} on port ${probe.httpGet.port}, the service listens on ${service.port}`,
        );
      }
    }
    const readiness = (container.readinessProbe as Probe | undefined)?.httpGet?.path;
    if (readiness && readiness !== '/health/ready')
      findings.push(`${service.name}: readiness is not /health/ready`);
    const svc = find(resources, 'Service', service.name);
    const svcPorts = (svc?.spec as { ports?: { port: number; targetPort: number | string }[] })?.ports ?? [];
    if (svc && !svcPorts.some((p) => p.port === service.port && portOf(p.targetPort) === service.port)) {
      findings.push(`${service.name}: its Service does not expose port ${service.port}`);
    }
  }
  return findings;
}

/** Variables given to each Deployment, by where they come from. */
export function variablesOf(resources: Resource[], container: Container): Map<string, string> {
  const given = new Map<string, string>();
  for (const source of (container.envFrom ?? []) as {
    configMapRef?: { name: string };
    secretRef?: { name: string };
  }[]) {
    const ref = source.configMapRef ?? source.secretRef;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const resource = ref && find(resources, kind, ref.name);
    for (const key of Object.keys((resource?.data as object) ?? {})) given.set(key, `${kind} ${ref?.name}`);
  }
  for (const entry of (container.env ?? []) as { name: string }[]) given.set(entry.name, 'env');
  return given;
}

/** Every variable given is one the service reads; every variable it needs is given. */
export function variableFindings(resources: Resource[], facts: Facts): string[] {
  const findings: string[] = [];
  for (const service of facts.services) {
    const deployment = find(resources, 'Deployment', service.name);
    const container = deployment && containersOf(deployment).find((c) => c.name === service.name);
    if (!container) continue;
    const given = variablesOf(resources, container);
    for (const [name, from] of given) {
      if (!service.reads.has(name)) findings.push(`${service.name}: ${name} (${from}) is read by no service`);
    }
    for (const name of service.required) {
      if (!given.has(name)) findings.push(`${service.name}: ${name} is required and not given`);
    }
  }
  return findings;
}

/** The secret keys the Deployments reference exist in the Secrets the overlay renders (when it renders them). */
export function secretReferenceFindings(resources: Resource[]): string[] {
  const findings: string[] = [];
  for (const workload of resources) {
    for (const container of containersOf(workload)) {
      for (const entry of (container.env ?? []) as {
        name: string;
        valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
      }[]) {
        const ref = entry.valueFrom?.secretKeyRef;
        const secret = ref && find(resources, 'Secret', ref.name);
        if (!ref || !secret || ref.optional) continue;
        if (!(ref.key in ((secret.data as object) ?? {}))) {
          findings.push(`${workload.metadata.name}: Secret ${ref.name} has no key ${ref.key}`);
        }
      }
    }
  }
  return findings;
}

/** The names platform.sh, stack.sh and docker-compose.yml use for the same settings. */
export function namingFindings(resources: Resource[], facts: Facts): string[] {
  const findings: string[] = [];
  for (const service of facts.services) {
    const deployment = find(resources, 'Deployment', service.name);
    const container = deployment && containersOf(deployment).find((c) => c.name === service.name);
    if (!container) continue;
    const given = variablesOf(resources, container);
    for (const name of facts.stackVariables) {
      if (!given.has(name)) findings.push(`${service.name}: ${name} (deploy/local/stack.sh) is not given`);
    }
    for (const name of facts.composeVariables[service.name] ?? []) {
      if (!given.has(name) && !DEV_ONLY_VARIABLES.has(name)) {
        findings.push(`${service.name}: ${name} (docker-compose.yml) is not given`);
      }
    }
    for (const name of given.keys()) {
      if (DEV_ONLY_VARIABLES.has(name))
        findings.push(`${service.name}: ${name} is a development-only switch`);
    }
  }
  // The gateway's upstreams: <NAME>_URL as platform.sh derives it (`tr 'a-z-' 'A-Z_'`), at the Service's port.
  const gateway = find(resources, 'ConfigMap', 'linli-gateway')?.data as Record<string, string> | undefined;
  for (const service of facts.services.filter((s) => s.name !== 'gateway')) {
    const variable = `${service.name.toUpperCase().replace(/-/g, '_')}_URL`;
    const expected = `http://${service.name}:${service.port}`;
    if (gateway?.[variable] !== expected) {
      findings.push(`gateway: ${variable} is ${gateway?.[variable]}, expected ${expected}`);
    }
  }
  return findings;
}

/** Every topic of the catalogue (and its .dlq) is a KafkaTopic kept for good, with the partitions the services use. */
export function topicFindings(resources: Resource[], facts: Facts): string[] {
  const findings: string[] = [];
  const partitions = Number(
    (find(resources, 'ConfigMap', 'linli-common')?.data as Record<string, string>)?.KAFKA_TOPIC_PARTITIONS,
  );
  for (const topic of facts.topics) {
    const resource = byKind(resources, 'KafkaTopic').find(
      (r) => ((r.spec as { topicName?: string }).topicName ?? r.metadata.name) === topic,
    );
    if (!resource) {
      findings.push(`topic ${topic}: no KafkaTopic`);
      continue;
    }
    const spec = resource.spec as { partitions: number; config?: Record<string, unknown> };
    if (String(spec.config?.['retention.ms']) !== '-1')
      findings.push(`topic ${topic}: retention.ms is not -1`);
    if (spec.partitions !== partitions) {
      findings.push(`topic ${topic}: ${spec.partitions} partitions, KAFKA_TOPIC_PARTITIONS is ${partitions}`);
    }
  }
  for (const hpa of byKind(resources, 'HorizontalPodAutoscaler')) {
    const max = (hpa.spec as { maxReplicas: number }).maxReplicas;
    if (!PARTITION_BOUND_EXEMPT.has(hpa.metadata.name) && max > partitions) {
      findings.push(`${hpa.metadata.name}: maxReplicas ${max} > ${partitions} partitions (idle consumers)`);
    }
  }
  return findings;
}

/** Non-root, no privilege escalation, requests and limits, for every container of the namespace. */
export function securityFindings(resources: Resource[]): string[] {
  const findings: string[] = [];
  for (const workload of resources) {
    const podSpec = (
      workload.spec as { template?: { spec?: { securityContext?: { runAsNonRoot?: boolean } } } }
    )?.template?.spec;
    for (const container of containersOf(workload)) {
      const context = (container.securityContext ?? {}) as {
        allowPrivilegeEscalation?: boolean;
        runAsNonRoot?: boolean;
      };
      const where = `${workload.kind}/${workload.metadata.name} ${container.name}`;
      if (!(context.runAsNonRoot ?? podSpec?.securityContext?.runAsNonRoot))
        findings.push(`${where}: may run as root`);
      if (context.allowPrivilegeEscalation !== false) findings.push(`${where}: allows privilege escalation`);
      const resourcesOf = container.resources as
        { requests?: object; limits?: { memory?: string } } | undefined;
      if (!resourcesOf?.requests || !resourcesOf.limits?.memory)
        findings.push(`${where}: no requests or memory limit`);
    }
  }
  return findings;
}

/** Default deny in place, and every service's ingress limited to named peers. */
export function networkFindings(resources: Resource[], facts: Facts): string[] {
  const findings: string[] = [];
  const deny = find(resources, 'NetworkPolicy', 'default-deny');
  const denySpec = deny?.spec as {
    podSelector?: object;
    policyTypes?: string[];
    ingress?: unknown;
    egress?: unknown;
  };
  if (
    !denySpec ||
    Object.keys(denySpec.podSelector ?? { x: 1 }).length > 0 ||
    !['Ingress', 'Egress'].every((t) => denySpec.policyTypes?.includes(t)) ||
    denySpec.ingress ||
    denySpec.egress
  ) {
    findings.push('no default-deny NetworkPolicy over every pod');
  }
  for (const service of facts.services) {
    const policy = find(resources, 'NetworkPolicy', service.name)?.spec as
      { ingress?: { from?: object[] }[] } | undefined;
    if (policy?.ingress?.some((rule) => !rule.from || rule.from.length === 0)) {
      findings.push(`${service.name}: its NetworkPolicy admits any source`);
    }
  }
  return findings;
}

// --- Schemas -------------------------------------------------------------------------------------------------

/**
 * Findings of each set of resources, against kubernetes-models' generated validators: the Kubernetes OpenAPI of the
 * pinned version, and Strimzi's CRD schemas (@kubernetes-models/strimzi-kafka-operator), in one plain Node process
 * for all the sets (validate-kubernetes.mjs says why; loading the validators is the slow part, so it happens once).
 */
export function schemaFindingsOf(sets: Resource[][]): string[][] {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'validate-kubernetes.mjs')], {
    input: JSON.stringify(sets),
    cwd: root,
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}
