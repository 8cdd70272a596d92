// Encryption at rest of the fields marked `personal: true`, as a mongoose plugin on every schema of a connection:
// values are sealed on every write path mongoose offers (save, insertMany, the update family, bulkWrite) and opened
// on every read (hydration, find/findOne and the findOneAnd* results, lean or not, cursors, aggregate). Writes that
// go to the driver directly (`Model.collection.*`, the fast paths of broadcasts and imports) bypass mongoose's
// middleware and call `sealPersonalData` / `sealPersonalUpdate` / `openPersonalData` themselves (ADR 0026).
import mongoose, { type Connection, type Document, type Schema } from 'mongoose';
import type { PersonalDataCipher } from './personal-data-cipher';
import { personalPathsOf } from './personal-data';
import {
  PersonalPathSet,
  mapPersonal,
  openPersonal,
  sealBulkOperations,
  sealDocument,
  sealer,
  sealUpdate,
} from './personal-data.seal';

/** The cipher of each connection: a schema shared by two connections resolves the one its query runs on. */
const ciphers = new WeakMap<object, PersonalDataCipher>();
const pathSets = new WeakMap<Schema, PersonalPathSet>();

const UPDATES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'] as const;
const READS = ['find', 'findOne', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete'] as const;

/** Called by PersistenceModule before any model is compiled on `connection`. */
export function enablePersonalDataEncryption(connection: Connection, cipher: PersonalDataCipher): void {
  ciphers.set(connection, cipher);
  connection.plugin(personalDataPlugin);
}

/** The cipher registered for a connection; undefined on a bare connection (then values pass through as they are). */
export function personalDataCipherOf(connection: object | undefined): PersonalDataCipher | undefined {
  return connection ? ciphers.get(connection) : undefined;
}

/** The personal paths of a schema, computed once (the schema is complete by the time a model uses it). */
export function personalPathSetOf(schema: Schema): PersonalPathSet {
  let paths = pathSets.get(schema);
  if (!paths) {
    paths = new PersonalPathSet(personalPathsOf(schema));
    pathSets.set(schema, paths);
  }
  return paths;
}

/** What the helpers need of a model: its connection and schema (any Model<T> has them). */
interface ModelLike {
  db: Connection;
  schema: unknown;
}

/** A sealed copy of a document for a raw driver insert or replacement into `model`'s collection. */
export function sealPersonalData<T>(model: ModelLike, document: T): T {
  const cipher = personalDataCipherOf(model.db);
  return cipher ? sealDocument(document, personalPathSetOf(model.schema as Schema), cipher) : document;
}

/** A sealed copy of an update for a raw driver `updateOne` / `updateMany` on `model`'s collection. */
export function sealPersonalUpdate<T>(model: ModelLike, update: T): T {
  const cipher = personalDataCipherOf(model.db);
  return cipher ? sealUpdate(update, personalPathSetOf(model.schema as Schema), cipher) : update;
}

/** Opens, in place, a document read from `model`'s collection through the driver. */
export function openPersonalData<T>(model: ModelLike, document: T): T {
  const cipher = personalDataCipherOf(model.db);
  return cipher ? openPersonal(document, cipher) : document;
}

interface QueryLike {
  model: ModelLike;
  getUpdate(): unknown;
  setUpdate(update: unknown): void;
  getOptions(): { includeResultMetadata?: boolean };
  transform(fn: (result: unknown) => unknown): unknown;
}

type DocumentLike = Document & { db: Connection; $isSubdocument?: boolean; $__schema: Schema };

/** Replaces a pre hook's arguments (kareem takes them all; mongoose's typings declare one). */
const overwriteArguments = mongoose.overwriteMiddlewareArguments as (...args: unknown[]) => unknown;

/** mongoose's overloads of pre/post, loosened: the hooks below type `this` and their arguments themselves. */
type Hook = (this: never, ...args: never[]) => unknown;
interface Hooks {
  pre(name: string | string[], fn: Hook): void;
  pre(name: string | string[], options: { document: boolean; query: boolean }, fn: Hook): void;
  post(name: string, fn: Hook): void;
}

export function personalDataPlugin(target: Schema): void {
  const schema = target as unknown as Hooks;
  // Hydration: the raw document is opened before mongoose casts it, so documents hold clear values. Subdocuments
  // (the plugin also lands on child schemas) are opened with their parent, under the full path.
  schema.pre('init', function (this: DocumentLike, raw: unknown) {
    // A schema without personal paths has nothing sealed: the hot paths (visits, deliveries) skip the walk.
    if (this.$isSubdocument || personalPathSetOf(this.$__schema).isEmpty) return;
    const cipher = personalDataCipherOf(this.db);
    if (cipher) openPersonal(raw, cipher);
  });

  // Query results (lean or hydrated, single, arrays, cursors one document at a time): a transform runs on each.
  schema.pre([...READS], { document: false, query: true }, function (this: QueryLike) {
    const cipher = personalDataCipherOf(this.model.db);
    if (!cipher || personalPathSetOf(this.model.schema as Schema).isEmpty) return;
    const withMetadata = this.getOptions().includeResultMetadata === true;
    this.transform((result) => openResult(result, cipher, withMetadata));
  });

  schema.pre([...UPDATES], { document: false, query: true }, function (this: QueryLike) {
    const cipher = personalDataCipherOf(this.model.db);
    const paths = personalPathSetOf(this.model.schema as Schema);
    if (!cipher || paths.isEmpty) return;
    const update = this.getUpdate();
    if (update) this.setUpdate(sealUpdate(update, paths, cipher));
  });

  schema.pre('insertMany', function (this: ModelLike, documents: unknown) {
    const cipher = personalDataCipherOf(this.db);
    const paths = personalPathSetOf(this.schema as Schema);
    if (!cipher || paths.isEmpty) return;
    const sealed = Array.isArray(documents)
      ? documents.map((document) => sealDocument(plainOf(document), paths, cipher))
      : sealDocument(plainOf(documents), paths, cipher);
    return overwriteArguments(sealed);
  });

  // insertMany returns what it stored: the caller gets clear values back, as from any other read.
  schema.post('insertMany', function (this: ModelLike, documents: unknown) {
    const cipher = personalDataCipherOf(this.db);
    const paths = personalPathSetOf(this.schema as Schema);
    if (!cipher || paths.isEmpty || !Array.isArray(documents)) return;
    for (const document of documents) {
      if (isDocument(document)) reopenDocument(document, paths, cipher);
      else openPersonal(document, cipher);
    }
  });

  schema.pre('bulkWrite', function (this: ModelLike, operations: unknown[], options: unknown) {
    const cipher = personalDataCipherOf(this.db);
    const paths = personalPathSetOf(this.schema as Schema);
    if (!cipher || paths.isEmpty) return;
    return overwriteArguments(sealBulkOperations(operations, paths, cipher), options);
  });

  schema.post('aggregate', function (this: { model(): ModelLike }, result: unknown) {
    const cipher = personalDataCipherOf(this.model().db);
    if (cipher && Array.isArray(result)) for (const document of result) openPersonal(document, cipher);
  });

  // save (Model.create, document.save): validation has run on the clear values; seal what is written, and give the
  // caller its clear document back afterwards.
  const sealedOnSave = new WeakMap<object, Restore[]>();
  schema.pre('save', function (this: DocumentLike) {
    if (this.$isSubdocument) return;
    const cipher = personalDataCipherOf(this.db);
    const paths = personalPathSetOf(this.$__schema);
    if (!cipher || paths.isEmpty) return;
    const restores: Restore[] = [];
    const seal = sealer(cipher);
    eachPersonalValue(this, paths, (node, local, path) => {
      const clear: unknown = node.get(local);
      const sealed = mapPersonal(clear, path, new PersonalPathSet([path]), seal);
      if (sealed === clear) return;
      node.set(local, sealed);
      restores.push({ node, local, clear });
    });
    sealedOnSave.set(this, restores);
  });
  schema.post('save', function (this: DocumentLike) {
    const restores = sealedOnSave.get(this);
    sealedOnSave.delete(this);
    for (const { node, local, clear } of restores ?? []) {
      node.set(local, clear);
      node.unmarkModified(local);
    }
  });
}

interface Restore {
  node: Document;
  local: string;
  clear: unknown;
}

function openResult(result: unknown, cipher: PersonalDataCipher, withMetadata: boolean): unknown {
  if (result === null || result === undefined) return result;
  if (Array.isArray(result)) {
    for (const document of result) if (!isDocument(document)) openPersonal(document, cipher);
    return result;
  }
  // Hydrated documents were opened by the init hook.
  if (isDocument(result)) return result;
  if (withMetadata) {
    const value = (result as { value?: unknown }).value;
    if (value && !isDocument(value)) openPersonal(value, cipher);
    return result;
  }
  return openPersonal(result, cipher);
}

/** Opens the personal values of a hydrated document (insertMany's result), leaving it unmodified. */
function reopenDocument(document: Document, paths: PersonalPathSet, cipher: PersonalDataCipher): void {
  eachPersonalValue(document, paths, (node, local, path) => {
    const value: unknown = node.get(local);
    const opened = openPersonal(structuredCloneIfArray(value), cipher, path);
    if (opened === value) return;
    node.set(local, opened);
    node.unmarkModified(local);
  });
}

function structuredCloneIfArray(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}

/**
 * Calls `visit` for each personal path of a hydrated document, descending through single and array
 * sub-documents: `node` holds the value at its own path `local`; `path` is the schema path from the top (the AAD).
 */
function eachPersonalValue(
  document: Document,
  paths: PersonalPathSet,
  visit: (node: Document, local: string, path: string) => void,
): void {
  for (const path of paths.paths) descend(document, path.split('.'), path, visit);
}

function descend(
  node: Document,
  segments: string[],
  path: string,
  visit: (node: Document, local: string, path: string) => void,
): void {
  const schema = (node as unknown as { $__schema: Schema }).$__schema;
  for (let k = 1; k <= segments.length; k++) {
    const local = segments.slice(0, k).join('.');
    if (!schema.path(local)) continue;
    if (k === segments.length) {
      visit(node, local, path);
      return;
    }
    const value: unknown = node.get(local);
    const rest = segments.slice(k);
    if (Array.isArray(value)) {
      for (const element of value) if (isDocument(element)) descend(element, rest, path, visit);
    } else if (isDocument(value)) {
      descend(value, rest, path, visit);
    }
    return;
  }
}

function isDocument(value: unknown): value is Document {
  return value instanceof mongoose.Document;
}

/** insertMany accepts documents too; their plain form is what gets sealed and stored. */
function plainOf(document: unknown): unknown {
  return isDocument(document) ? document.toObject({ depopulate: true }) : document;
}
