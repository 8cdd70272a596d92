// Where personal values sit in documents and in MongoDB update documents, and sealing or opening them there. Pure
// (no mongoose, no I/O), so the walkers are unit-tested; the mongoose plugin and the rotate command call them.
//
// A value's additional authenticated data is its schema path with array positions left out (`parties.phone` for
// `parties.2.phone` and `parties.$.phone`): the same on every write and read path, and a value moved to another
// field no longer opens.
import { isSealed, type PersonalDataCipher } from './personal-data-cipher';

/** The personal paths of one schema (from `personalPathsOf`) and every prefix under which one lies. */
export class PersonalPathSet {
  private readonly leaves: ReadonlySet<string>;
  private readonly prefixes: ReadonlySet<string>;

  constructor(paths: readonly string[]) {
    this.leaves = new Set(paths);
    const prefixes = new Set<string>();
    for (const path of paths) {
      const segments = path.split('.');
      for (let i = 1; i < segments.length; i++) prefixes.add(segments.slice(0, i).join('.'));
    }
    this.prefixes = prefixes;
  }

  get isEmpty(): boolean {
    return this.leaves.size === 0;
  }

  get paths(): string[] {
    return [...this.leaves].sort();
  }

  isLeaf(path: string): boolean {
    return this.leaves.has(path);
  }

  /** Some personal path lies below `path`. */
  hasBelow(path: string): boolean {
    return path === '' ? !this.isEmpty : this.prefixes.has(path);
  }
}

/** `parties.0.phone`, `parties.$.phone`, `parties.$[p].phone` -> `parties.phone`. */
export function schemaPathOf(fieldPath: string): string {
  return fieldPath
    .split('.')
    .filter((segment) => !/^\d+$/.test(segment) && !segment.startsWith('$'))
    .join('.');
}

type Transform = (value: string, path: string) => string;

/**
 * A copy of `value` (which sits at schema path `path`) with `transform` applied to every string at a personal leaf;
 * untouched branches are shared, the input is never mutated (callers keep their clear objects).
 */
export function mapPersonal(
  value: unknown,
  path: string,
  paths: PersonalPathSet,
  transform: Transform,
): unknown {
  if (value === null || value === undefined) return value;
  if (paths.isLeaf(path)) return mapLeaf(value, path, transform);
  if (!paths.hasBelow(path)) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const mapped = value.map((element) => {
      const next = mapPersonal(element, path, paths, transform);
      if (next !== element) changed = true;
      return next;
    });
    return changed ? mapped : value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, child] of Object.entries(value)) {
    const next = mapPersonal(child, path === '' ? key : `${path}.${key}`, paths, transform);
    if (next !== child) {
      copy ??= { ...value };
      copy[key] = next;
    }
  }
  return copy ?? value;
}

/** A leaf is a string, or an array of strings (`phones: [{ type: String, personal: true }]`). */
function mapLeaf(value: unknown, path: string, transform: Transform): unknown {
  if (typeof value === 'string') return transform(value, path);
  if (Array.isArray(value)) {
    let changed = false;
    const mapped = value.map((element) => {
      const next = mapLeaf(element, path, transform);
      if (next !== element) changed = true;
      return next;
    });
    return changed ? mapped : value;
  }
  // Numbers, dates and objects under a personal path are not encrypted (ADR 0026: personal fields are strings).
  return value;
}

/** Seals clear strings; values sealed already (by any key) are left as they are. */
export function sealer(cipher: PersonalDataCipher): Transform {
  return (value, path) => (isSealed(value) ? value : cipher.seal(value, path));
}

/** A copy of a whole document with its personal values sealed. */
export function sealDocument<T>(document: T, paths: PersonalPathSet, cipher: PersonalDataCipher): T {
  if (paths.isEmpty) return document;
  return mapPersonal(document, '', paths, sealer(cipher)) as T;
}

/**
 * A copy of an update (operators or a replacement) with the personal values it writes sealed: `$set` and
 * `$setOnInsert` by dotted or positional path, whole sub-documents and arrays, `$push`/`$addToSet` with or
 * without `$each`, and top-level fields (a replacement, or mongoose's implicit `$set`). Other operators write no
 * personal value (`$inc`, `$unset`, `$pull`...). An aggregation-pipeline update is returned as it is: none of the
 * services writes personal fields with one.
 */
export function sealUpdate<T>(update: T, paths: PersonalPathSet, cipher: PersonalDataCipher): T {
  if (paths.isEmpty || !isPlainObject(update)) return update;
  const seal = sealer(cipher);
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(update)) {
    let next: unknown = value;
    if (key === '$set' || key === '$setOnInsert') {
      next = sealFields(value, paths, (field, v) => mapPersonal(v, schemaPathOf(field), paths, seal));
    } else if (key === '$push' || key === '$addToSet') {
      next = sealFields(value, paths, (field, v) => {
        const path = schemaPathOf(field);
        if (isPlainObject(v) && Array.isArray(v.$each)) {
          const each = mapPersonal(v.$each, path, paths, seal);
          return each === v.$each ? v : { ...v, $each: each };
        }
        return mapPersonal(v, path, paths, seal);
      });
    } else if (!key.startsWith('$')) {
      next = mapPersonal(value, schemaPathOf(key), paths, seal);
    }
    if (next !== value) {
      copy ??= { ...update };
      copy[key] = next;
    }
  }
  return (copy ?? update) as T;
}

function sealFields(
  fields: unknown,
  paths: PersonalPathSet,
  sealField: (field: string, value: unknown) => unknown,
): unknown {
  if (!isPlainObject(fields)) return fields;
  let copy: Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(fields)) {
    const path = schemaPathOf(field);
    if (!paths.isLeaf(path) && !paths.hasBelow(path)) continue;
    const next = sealField(field, value);
    if (next !== value) {
      copy ??= { ...fields };
      copy[field] = next;
    }
  }
  return copy ?? fields;
}

/** A bulkWrite's operations with the documents, updates and replacements they write sealed. */
export function sealBulkOperations<T>(
  operations: readonly T[],
  paths: PersonalPathSet,
  cipher: PersonalDataCipher,
): T[] {
  if (paths.isEmpty) return [...operations];
  return operations.map((operation) => {
    if (!isPlainObject(operation)) return operation;
    const [kind] = Object.keys(operation);
    const body = operation[kind];
    if (!isPlainObject(body)) return operation;
    if (kind === 'insertOne' && body.document !== undefined) {
      return { [kind]: { ...body, document: sealDocument(body.document, paths, cipher) } } as T;
    }
    if ((kind === 'updateOne' || kind === 'updateMany') && body.update !== undefined) {
      return { [kind]: { ...body, update: sealUpdate(body.update, paths, cipher) } } as T;
    }
    if (kind === 'replaceOne' && body.replacement !== undefined) {
      return { [kind]: { ...body, replacement: sealDocument(body.replacement, paths, cipher) } } as T;
    }
    return operation;
  });
}

/**
 * Opens, in place, every sealed string inside `value` (at schema path `path`), whatever the schema says: reads need
 * no path list, and values written before encryption (clear text) are returned as they are. Returns the value (a
 * sealed string at the top is returned opened).
 */
export function openPersonal<T>(value: T, cipher: PersonalDataCipher, path = ''): T {
  if (isSealed(value)) return cipher.open(value, path) as T;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const element: unknown = value[i];
      if (isSealed(element) || typeof element === 'object') value[i] = openPersonal(element, cipher, path);
    }
    return value;
  }
  if (!isPlainObject(value)) return value;
  for (const [key, child] of Object.entries(value)) {
    if (isSealed(child) || (typeof child === 'object' && child !== null)) {
      (value as Record<string, unknown>)[key] = openPersonal(
        child,
        cipher,
        path === '' ? key : `${path}.${key}`,
      );
    }
  }
  return value;
}

/**
 * Objects from JSON, the driver (BSON documents decode to plain objects) or object literals; not ObjectIds, dates,
 * mongoose documents. Any realm's Object.prototype counts (a prototype whose own prototype is null).
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}
