// deploy/k8s rendered as kustomize would (base and every overlay) and checked: every resource against the
// Kubernetes schemas of kubernetes-models and Strimzi's CRD schemas of @kubernetes-models/strimzi-kafka-operator
// (npm, pinned), then the rules of
// checks.ts against the services' real ports, probe paths, variables and topics. Each rule is also shown catching a
// broken copy. Offline, no cluster, no kustomize binary.
import fs from 'node:fs';
import path from 'node:path';
import { allTopics, dlqTopicOf } from '@linli/contracts';
import { parse } from 'yaml';
import {
  missingResources,
  namingFindings,
  networkFindings,
  probeFindings,
  root,
  schemaFindingsOf,
  secretReferenceFindings,
  securityFindings,
  topicFindings,
  variableFindings,
  type Facts,
  type ServiceFacts,
} from './checks';
import { render, strategicMerge, type Resource } from './kustomize';

const k8s = path.join(root, 'deploy/k8s');
const kustomizations = ['base', ...fs.readdirSync(path.join(k8s, 'overlays')).map((o) => `overlays/${o}`)];
const rendered = new Map(kustomizations.map((k) => [k, render(path.join(k8s, k))]));
const facts = gatherFacts();

function gatherFacts(): Facts {
  const tsv = fs.readFileSync(path.join(root, 'deploy/local/services.tsv'), 'utf8');
  const lines = tsv
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => line.trim().split(/\s+/) as [string, string]);
  const libraryReads = directReads(path.join(root, 'libs'));
  const services: ServiceFacts[] = lines.map(([name, port]) => {
    const schema = configSchemaOf(name);
    const reads = new Set([
      ...Object.keys(schema.properties),
      ...libraryReads,
      ...directReads(path.join(root, 'services', name, 'src')),
    ]);
    const required = new Set(
      Object.entries(schema.properties)
        .filter(([key, property]) =>
          property.default === undefined
            ? (schema.required ?? []).includes(key)
            : /127\.0\.0\.1|localhost/.test(String(property.default)),
        )
        .map(([key]) => key),
    );
    return { name, port: Number(port), reads, required };
  });
  const controller = fs.readFileSync(
    path.join(root, 'libs/platform/src/health/health.controller.ts'),
    'utf8',
  );
  const prefix = /@Controller\('([^']+)'\)/.exec(controller)?.[1];
  const probePaths = new Set([...controller.matchAll(/@Get\('([^']+)'\)/g)].map((m) => `/${prefix}/${m[1]}`));
  const stack = fs.readFileSync(path.join(root, 'deploy/local/stack.sh'), 'utf8');
  const stackVariables = [...stack.matchAll(/printf 'export (\w+)=/g)].map((m) => m[1] as string);
  const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  const composeVariables = Object.fromEntries(
    Object.entries(compose.services).map(([name, s]) => [name, Object.keys(s.environment ?? {})]),
  );
  const topics = allTopics.flatMap((topic) => [topic.name, dlqTopicOf(topic.name)]);
  return { services, probePaths, stackVariables, composeVariables, topics };
}

interface EnvSchema {
  properties: Record<string, { default?: unknown }>;
  required?: string[];
}

/** The TypeBox schema a service validates its environment with (services/<name>/src/config.ts). */
function configSchemaOf(name: string): EnvSchema {
  // config.ts validates process.env when loaded; HTTP_PORT keeps the gateway's (which has no default) satisfied.
  const saved = process.env.HTTP_PORT;
  process.env.HTTP_PORT = '1';
  try {
    // A plain require: the schema is read once, synchronously, while HTTP_PORT is set for the module's load.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(path.join(root, 'services', name, 'src/config.ts')) as Record<string, unknown>;
    const key = Object.keys(exports).find((k) => k.endsWith('ConfigSchema'));
    if (!key) throw new Error(`services/${name}/src/config.ts exports no *ConfigSchema`);
    return exports[key] as EnvSchema;
  } finally {
    if (saved === undefined) delete process.env.HTTP_PORT;
    else process.env.HTTP_PORT = saved;
  }
}

/** Variables read straight from the environment (`env.X`, `env['X']`) in non-test sources under `directory`. */
function directReads(directory: string): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['node_modules', 'test'].includes(entry.name)) walk(full);
      } else if (/(?<!spec)\.ts$/.test(entry.name) && !/\.(int-)?spec\.ts$/.test(entry.name)) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[\s*'([A-Z][A-Z0-9_]+)'\s*\])/g)) {
          names.add((m[1] ?? m[2]) as string);
        }
      }
    }
  };
  walk(directory);
  // libs/testing serves tests only; its variables reach no deployed service.
  if (directory.endsWith('libs'))
    for (const n of directReadsOf(path.join(directory, 'testing'))) names.delete(n);
  return names;
}

function directReadsOf(directory: string): Set<string> {
  return fs.existsSync(directory) ? directReads(directory) : new Set();
}

const overlayNames = kustomizations.filter((k) => k.startsWith('overlays/'));
const everything = (resources: Resource[]) => [
  ...missingResources(resources, facts),
  ...probeFindings(resources, facts),
  ...variableFindings(resources, facts),
  ...secretReferenceFindings(resources),
  ...namingFindings(resources, facts),
  ...topicFindings(resources, facts),
  ...securityFindings(resources),
  ...networkFindings(resources, facts),
];

describe('deploy/k8s', () => {
  it('has a base and at least a local and a production overlay', () => {
    expect(overlayNames).toEqual(expect.arrayContaining(['overlays/local-kind', 'overlays/production']));
  });

  it('every resource of the base and each overlay is valid against its Kubernetes or Strimzi schema', () => {
    const findings = schemaFindingsOf(kustomizations.map((name) => rendered.get(name) ?? []));
    expect(Object.fromEntries(kustomizations.map((name, i) => [name, findings[i]]))).toEqual(
      Object.fromEntries(kustomizations.map((name) => [name, []])),
    );
  });

  it.each(kustomizations)('%s: keeps every rule of checks.ts', (name) => {
    expect(everything(rendered.get(name) ?? [])).toEqual([]);
  });

  it('renders every Deployment with an image the Dockerfile builds, tagged by the overlay', () => {
    for (const overlay of overlayNames) {
      for (const deployment of (rendered.get(overlay) ?? []).filter((r) => r.kind === 'Deployment')) {
        const name = deployment.metadata.name;
        const image = (deployment.spec as { template: { spec: { containers: { image: string }[] } } })
          .template.spec.containers[0]?.image;
        expect(image).toMatch(new RegExp(`^linli/${name}:[\\w.-]+$`));
        expect(fs.existsSync(path.join(root, 'services', name, 'src/main.ts'))).toBe(true);
      }
    }
  });

  it('production brings no Secret of its own, and the operations guide lists every key it expects', () => {
    const production = rendered.get('overlays/production') ?? [];
    expect(production.filter((r) => r.kind === 'Secret')).toEqual([]);
    const guide = fs.readFileSync(path.join(root, 'docs/operations.md'), 'utf8');
    const keys = new Set(
      production.flatMap((r) =>
        [...JSON.stringify(r).matchAll(/"secretKeyRef":\{"name":"[^"]+","key":"([^"]+)"/g)].map((m) => m[1]),
      ),
    );
    expect([...keys].filter((key) => !guide.includes(`\`${key}\``))).toEqual([]);
  });
});

describe('deploy/k8s checks catch', () => {
  const good = rendered.get('overlays/local-kind') ?? [];
  const broken = (change: (resources: Resource[]) => void): Resource[] => {
    const copy = structuredClone(good);
    change(copy);
    return copy;
  };
  const deployment = (resources: Resource[], name: string) =>
    resources.find((r) => r.kind === 'Deployment' && r.metadata.name === name) as Resource & {
      spec: { template: { spec: { containers: Record<string, unknown>[] } } };
    };
  const container = (resources: Resource[], name: string) =>
    deployment(resources, name).spec.template.spec.containers[0] as Record<string, unknown>;

  it('a resource that breaks its schema, and a kind with no schema', () => {
    const wrongTypes = broken((r) => {
      (deployment(r, 'dispatch').spec as unknown as { replicas: unknown }).replicas = 'three';
      const topic = r.find((x) => x.kind === 'KafkaTopic') as Resource;
      (topic.spec as { partitions: unknown }).partitions = 'six';
    });
    const unknownKind = broken((r) =>
      r.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }),
    );
    const [typeFindings, kindFindings] = schemaFindingsOf([wrongTypes, unknownKind]);
    expect(typeFindings).toEqual([
      'Deployment/dispatch: data/spec/replicas must be integer',
      expect.stringMatching(/^KafkaTopic\/linli\.[\w.-]+: .*partitions/),
    ]);
    expect(kindFindings).toEqual(['Widget/w: no schema for example.com/v1 Widget']);
  });

  it('a service without its PodDisruptionBudget', () => {
    const resources = broken((r) =>
      r.splice(
        r.findIndex((x) => x.kind === 'PodDisruptionBudget' && x.metadata.name === 'mediation'),
        1,
      ),
    );
    expect(missingResources(resources, facts)).toEqual(['mediation: no PodDisruptionBudget']);
  });

  it('a probe on a path or port the service does not serve', () => {
    const resources = broken((r) => {
      (container(r, 'insights').livenessProbe as { httpGet: { path: string } }).httpGet.path = '/healthz';
      (container(r, 'emergency').readinessProbe as { httpGet: { port: number } }).httpGet.port = 8080;
    });
    expect(probeFindings(resources, facts)).toEqual([
      'emergency: readinessProbe on port 8080, the service listens on 3105',
      'insights: livenessProbe on /healthz, which no service serves',
    ]);
  });

  it('a variable no service reads, and a required one missing', () => {
    const resources = broken((r) => {
      const common = r.find((x) => x.kind === 'ConfigMap' && x.metadata.name === 'linli-common') as Resource;
      const data = common.data as Record<string, string>;
      data.KAFKA_BOOTSTRAP_SERVERS = data.KAFKA_BROKERS as string;
      delete data.KAFKA_BROKERS;
    });
    const findings = variableFindings(resources, facts);
    expect(findings).toContain(
      'dispatch: KAFKA_BOOTSTRAP_SERVERS (ConfigMap linli-common) is read by no service',
    );
    expect(findings).toContain('dispatch: KAFKA_BROKERS is required and not given');
  });

  it('a name that differs from the local stack, docker-compose.yml or platform.sh', () => {
    const resources = broken((r) => {
      const gateway = r.find(
        (x) => x.kind === 'ConfigMap' && x.metadata.name === 'linli-gateway',
      ) as Resource;
      const data = gateway.data as Record<string, string>;
      data.ELDERCARE_URL = data.ELDER_CARE_URL as string;
      delete data.ELDER_CARE_URL;
      const env = container(r, 'emergency').env as { name: string }[];
      env.splice(
        env.findIndex((e) => e.name === 'ALERT_ACK_LINK_KEY'),
        1,
      );
    });
    expect(namingFindings(resources, facts)).toEqual([
      'emergency: ALERT_ACK_LINK_KEY (docker-compose.yml) is not given',
      'gateway: ELDER_CARE_URL (docker-compose.yml) is not given',
      'gateway: ELDER_CARE_URL is undefined, expected http://elder-care:3103',
    ]);
  });

  it('a secret key no Secret holds', () => {
    const resources = broken((r) => {
      const secret = r.find((x) => x.kind === 'Secret' && x.metadata.name === 'linli-secrets') as Resource;
      delete (secret.data as Record<string, string>).PHONE_HASH_KEY;
    });
    expect(secretReferenceFindings(resources)).toEqual([
      'resident-requests: Secret linli-secrets has no key PHONE_HASH_KEY',
    ]);
  });

  it('a topic of the catalogue without its KafkaTopic, and more consumers than partitions', () => {
    const resources = broken((r) => {
      r.splice(
        r.findIndex((x) => x.kind === 'KafkaTopic' && x.metadata.name === 'linli.dispatch.job.v1.dlq'),
        1,
      );
      const hpa = r.find(
        (x) => x.kind === 'HorizontalPodAutoscaler' && x.metadata.name === 'dispatch',
      ) as Resource;
      (hpa.spec as { maxReplicas: number }).maxReplicas = 7;
    });
    expect(topicFindings(resources, facts)).toEqual([
      'topic linli.dispatch.job.v1.dlq: no KafkaTopic',
      'dispatch: maxReplicas 7 > 6 partitions (idle consumers)',
    ]);
  });

  it('a container that may run as root, and a namespace without default deny', () => {
    const resources = broken((r) => {
      const pod = deployment(r, 'notifications').spec.template.spec as { securityContext?: object };
      delete pod.securityContext;
      r.splice(
        r.findIndex((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'default-deny'),
        1,
      );
    });
    expect(securityFindings(resources)).toEqual(['Deployment/notifications notifications: may run as root']);
    expect(networkFindings(resources, facts)).toEqual(['no default-deny NetworkPolicy over every pod']);
  });
});

describe('the kustomize subset', () => {
  it('merges lists of named items by name and replaces other lists', () => {
    expect(
      strategicMerge(
        { containers: [{ name: 'a', image: 'x', args: ['1'] }, { name: 'b' }], tags: ['p'] },
        { containers: [{ name: 'a', args: ['2'] }, { name: 'c' }], tags: ['q'] },
      ),
    ).toEqual({
      containers: [{ name: 'a', image: 'x', args: ['2'] }, { name: 'b' }, { name: 'c' }],
      tags: ['q'],
    });
  });
});
