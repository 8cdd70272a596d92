// The part of kustomize these manifests use, so the test renders them offline with no kustomize binary (none comes
// from npm or Maven Central): resources, namespace, images, replicas, patches (strategic merge, by name or by
// target kind), configMapGenerator/secretGenerator with literals, generatorOptions. Anything else in a
// kustomization.yaml is refused, so a manifest never relies on a feature this renderer silently ignores.
// `kubectl apply -k` (kustomize) renders the same files for real; see docs/operations.md.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

interface Generator {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  replicas?: { name: string; count: number }[];
  patches?: { path: string; target?: { kind?: string; name?: string } }[];
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
  generatorOptions?: { disableNameSuffixHash?: boolean };
}

const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'namespace',
  'resources',
  'images',
  'replicas',
  'patches',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
]);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

export function readYamlDocuments(file: string): Resource[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return document.toJS({ maxAliasCount: -1 }) as Resource | null;
    })
    .filter((resource): resource is Resource => resource !== null);
}

/** The resources `kubectl kustomize <directory>` would print, in order. */
export function render(directory: string): Resource[] {
  const file = path.join(directory, 'kustomization.yaml');
  const kustomization = readYamlDocuments(file)[0] as unknown as Kustomization;
  const unsupported = Object.keys(kustomization).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${file}: unsupported fields ${unsupported.join(', ')}`);
  if (kustomization.generatorOptions && kustomization.generatorOptions.disableNameSuffixHash !== true) {
    throw new Error(`${file}: only generatorOptions.disableNameSuffixHash: true is supported`);
  }
  const generated = Boolean(kustomization.configMapGenerator || kustomization.secretGenerator);
  if (generated && kustomization.generatorOptions?.disableNameSuffixHash !== true) {
    throw new Error(`${file}: generators need disableNameSuffixHash (names are referenced as written)`);
  }

  let resources: Resource[] = [];
  for (const entry of kustomization.resources ?? []) {
    const target = path.join(directory, entry);
    resources.push(...(fs.statSync(target).isDirectory() ? render(target) : readYamlDocuments(target)));
  }
  resources = structuredClone(resources);

  for (const generator of kustomization.configMapGenerator ?? []) {
    generate(resources, 'ConfigMap', generator, (value) => value);
  }
  for (const generator of kustomization.secretGenerator ?? []) {
    generate(resources, 'Secret', generator, (value) => Buffer.from(value).toString('base64'));
  }
  for (const patch of kustomization.patches ?? []) {
    const body = readYamlDocuments(path.join(directory, patch.path));
    for (const part of body) {
      const targets = resources.filter((resource) =>
        patch.target
          ? (!patch.target.kind || resource.kind === patch.target.kind) &&
            (!patch.target.name || resource.metadata.name === patch.target.name)
          : resource.kind === part.kind && resource.metadata.name === part.metadata.name,
      );
      if (targets.length === 0)
        throw new Error(`${patch.path}: ${part.kind}/${part.metadata.name} matches nothing`);
      for (const resource of targets) {
        const { metadata: _ignored, ...rest } = part;
        const merged = strategicMerge(resource, patch.target ? rest : part) as Resource;
        Object.assign(resource, merged);
      }
    }
  }
  for (const image of kustomization.images ?? []) {
    for (const container of resources.flatMap(containersOf)) {
      const [name] = splitImage(container.image);
      if (name !== image.name) continue;
      const [, tag] = splitImage(container.image);
      container.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
    }
  }
  for (const { name, count } of kustomization.replicas ?? []) {
    const workload = resources.find(
      (r) => ['Deployment', 'StatefulSet'].includes(r.kind) && r.metadata.name === name,
    );
    if (!workload) throw new Error(`${file}: replicas of unknown workload ${name}`);
    (workload.spec as { replicas: number }).replicas = count;
  }
  if (kustomization.namespace) {
    for (const resource of resources) {
      if (!CLUSTER_SCOPED.has(resource.kind)) resource.metadata.namespace = kustomization.namespace;
    }
  }
  return resources;
}

function generate(
  resources: Resource[],
  kind: 'ConfigMap' | 'Secret',
  generator: Generator,
  encode: (value: string) => string,
): void {
  const data: Record<string, string> = {};
  for (const literal of generator.literals ?? []) {
    const at = literal.indexOf('=');
    if (at < 1) throw new Error(`${kind} ${generator.name}: literal without KEY=: ${literal.split('=')[0]}`);
    data[literal.slice(0, at)] = encode(literal.slice(at + 1));
  }
  const existing = resources.find((r) => r.kind === kind && r.metadata.name === generator.name);
  const behavior = generator.behavior ?? 'create';
  if (behavior === 'create') {
    if (existing) throw new Error(`${kind} ${generator.name} already exists (use behavior: merge)`);
    resources.push({
      apiVersion: 'v1',
      kind,
      metadata: { name: generator.name },
      ...(kind === 'Secret' ? { type: 'Opaque' } : {}),
      data,
    });
    return;
  }
  if (!existing) throw new Error(`${kind} ${generator.name}: nothing to ${behavior}`);
  existing.data = behavior === 'merge' ? { ...(existing.data as object), ...data } : data;
}

/** Strategic merge as kustomize applies it here: maps merge, lists of named items merge by name, others replace. */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(patch) && patch.every(isNamed) && base.every(isNamed)) {
    const out = base.map((item) => {
      const update = patch.find((p) => p.name === item.name);
      return update ? strategicMerge(item, update) : item;
    });
    for (const item of patch) if (!base.some((b) => b.name === item.name)) out.push(item);
    return out;
  }
  if (isObject(base) && isObject(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch))
      out[key] = key in base ? strategicMerge(base[key], value) : value;
    return out;
  }
  return patch;
}

export interface Container {
  name: string;
  image: string;
  [key: string]: unknown;
}

/** Containers and init containers of a workload (Deployment, StatefulSet, Job), else none. */
export function containersOf(resource: Resource): Container[] {
  const spec = (resource.spec as { template?: { spec?: Record<string, Container[]> } } | undefined)?.template
    ?.spec;
  return [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
}

function splitImage(image: string): [string, string] {
  const at = image.lastIndexOf(':');
  return at > image.lastIndexOf('/') ? [image.slice(0, at), image.slice(at + 1)] : [image, 'latest'];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isNamed(value: unknown): value is { name: string } {
  return isObject(value) && typeof value.name === 'string';
}
