// The jurisdiction in the data layer (ADR 0028): every query of a schema with a jurisdiction, run for a user's
// HTTP request, is restricted to that user's subtree of the administrative tree, whatever the repository passed.
// A repository that forgets `actor.scope()` therefore still cannot hand another district's record to anyone.
//
// - Which schemas: those with a `jurisdiction` path, or that name their field with the schema option
//   `jurisdictionField` (`'community'`, `'place.communityCode'`); `jurisdictionField: false` opts a schema out.
// - Whose queries: those run inside a request's actor context (@linli/auth `runAsActor`, entered for every verified
//   request) by an actor with a jurisdiction. Consumers, scheduled work and the system actor run unscoped.
// - How: lists, counts, updates and deletes get the condition `{ field: /^<jurisdiction>/ }`; aggregations a
//   leading `$match`. A lookup on `_id` alone is left on `_id` (mongo-java-server serves only that from its index,
//   anything beside it is a scan: ADR 0004) and the loaded documents are checked instead: one outside the scope is
//   dropped, so the caller sees null (a 404). A write on `_id` alone first reads the ids' field (by `_id`) and keeps
//   only the ids in scope.
// - Opt-out: `.setOptions(crossJurisdiction('why'))` on a query, `.option(crossJurisdiction('why'))` on an
//   aggregation, for the few reads whose relation to the record is not its place (a provider's held job).
import { scopingActor, type Actor } from '@linli/auth';
import type { Aggregate, PipelineStage, Query, Schema } from 'mongoose';
import { PersistenceError } from './persistence.errors';

// The type parameters must repeat mongoose's declaration to merge with it, used or not.
/* eslint-disable @typescript-eslint/no-unused-vars */
declare module 'mongoose' {
  interface SchemaOptions<
    DocType,
    TInstanceMethods,
    QueryHelpers,
    TStaticMethods,
    TVirtuals,
    THydratedDocumentType,
    TModelType,
  > {
    /** The path holding a document's administrative code, when it is not `jurisdiction`; false: not scoped. */
    jurisdictionField?: string | false;
  }
}
/* eslint-enable @typescript-eslint/no-unused-vars */

/** What an actor may see of a collection: as a filter (lists, writes) and as a check of a loaded document. */
export interface DocumentScope {
  condition: Record<string, unknown>;
  covers(document: unknown): boolean;
  /** The paths `covers` reads: a projection must return them for a document to be checked after the load. */
  paths: readonly string[];
}

/** What some actors see of a collection instead of their jurisdiction's subtree; undefined: the subtree. */
export type ActorScope = (actor: Actor) => DocumentScope | undefined;

// A schema option, set through `scopeActorsBy` rather than declared on SchemaOptions: a function-typed option there
// changes how mongoose's Schema types relate to each other and breaks unrelated code's typing.
const ACTOR_SCOPE_OPTION = 'actorScope';

/**
 * Gives some actors a different scope of this schema's collection (a provider: the jobs offered to it or held by
 * it, wherever they are). Call before the model is compiled.
 */
export function scopeActorsBy(schema: Schema, actorScope: ActorScope): void {
  schema.set(ACTOR_SCOPE_OPTION as never, actorScope as never);
}

/** The query/aggregate option that lets one query through unscoped; its value is the reason, for the reader. */
export const CROSS_JURISDICTION_OPTION = 'crossJurisdiction';

/** `{ crossJurisdiction: reason }`: pass to `setOptions` / `option` where a read legitimately crosses districts. */
export function crossJurisdiction(reason: string): { crossJurisdiction: string } {
  if (reason.trim() === '')
    throw new Error('crossJurisdiction needs the reason the read may cross districts');
  return { [CROSS_JURISDICTION_OPTION]: reason } as { crossJurisdiction: string };
}

const READ_ONE = ['findOne'] as const;
const READ_MANY = ['find'] as const;
const COUNTS = ['countDocuments', 'distinct'] as const;
const WRITES = [
  'updateOne',
  'updateMany',
  'replaceOne',
  'deleteOne',
  'deleteMany',
  'findOneAndUpdate',
  'findOneAndDelete',
  'findOneAndReplace',
] as const;

/** A cursor over `_id`s met a document outside the caller's scope (it cannot drop it as a list does). */
export class OutOfJurisdictionError extends PersistenceError {
  constructor(paths: readonly string[]) {
    super(`a cursor by _id reached a document whose ${paths.join(', ')} lies outside the caller's scope`);
  }
}

type AnyQuery = Query<unknown, unknown>;
type Filter = Record<string, unknown>;

/** The field a schema is scoped by, or undefined when it has none. */
export function jurisdictionFieldOf(schema: Schema): string | undefined {
  const declared = schema.get('jurisdictionField');
  if (declared === false) return undefined;
  if (typeof declared === 'string' && declared !== '') return declared;
  return schema.path('jurisdiction') ? 'jurisdiction' : undefined;
}

/** The jurisdiction's subtree on `field`: what every actor sees unless the schema's `actorScope` says otherwise. */
export function jurisdictionScope(actor: Actor, field: string): DocumentScope {
  return {
    condition: actor.scope(field),
    covers: (document) => documentInScope(document, actor, field),
    paths: [field],
  };
}

/**
 * The actor's subtree and the places above it, on `field`: for records about an area that reach everyone inside it
 * (an alert on a district concerns the staff of each of its communities), where the caller still applies the finer
 * rule. Use through `scopeActorsBy(schema, (actor) => overlappingScope(actor, 'jurisdiction'))`.
 */
export function overlappingScope(actor: Actor, field: string): DocumentScope {
  const code = actor.jurisdiction;
  const above = Array.from({ length: code.length - 1 }, (_, index) => code.slice(0, index + 1));
  return {
    condition: { $or: [actor.scope(field), { [field]: { $in: above } }] },
    covers: (document) => {
      const value = valueAt(document, field);
      return typeof value === 'string' && value !== '' && (value.startsWith(code) || code.startsWith(value));
    },
    paths: [field],
  };
}

/** The documents whose `path` holds `value`: a relation to the actor (their own id on it), wherever the place. */
export function relationScope(path: string, value: string): DocumentScope {
  return {
    condition: { [path]: value },
    covers: (document) => valueAt(document, path) === value,
    paths: [path],
  };
}

/** What either scope lets through (the deliveries of a place, and the caller's own wherever they are). */
export function eitherScope(first: DocumentScope, second: DocumentScope): DocumentScope {
  return {
    condition: { $or: [first.condition, second.condition] },
    covers: (document) => first.covers(document) || second.covers(document),
    paths: [...new Set([...first.paths, ...second.paths])],
  };
}

export function jurisdictionScopePlugin(schema: Schema): void {
  const field = jurisdictionFieldOf(schema);
  if (!field) return;
  const actorScope = schema.get(ACTOR_SCOPE_OPTION as never) as ActorScope | undefined;
  const scopeOf = (actor: Actor) => actorScope?.(actor) ?? jurisdictionScope(actor, field);

  // `document: false`: updateOne/deleteOne also name document middleware; only the query form is meant here.
  const queryOnly = { document: false, query: true } as const;
  schema.pre([...READ_ONE, ...READ_MANY, ...COUNTS], queryOnly, function (this: AnyQuery) {
    const scope = scopeFor(this.getOptions() as Record<string, unknown>, scopeOf);
    if (scope) scopeRead(this, scope);
  });
  schema.pre([...WRITES], queryOnly, async function (this: AnyQuery) {
    const scope = scopeFor(this.getOptions() as Record<string, unknown>, scopeOf);
    if (scope) await scopeWrite(this, scope);
  });
  schema.pre('aggregate', function (this: Aggregate<unknown>) {
    const scope = scopeFor(this.options as Record<string, unknown>, scopeOf);
    if (scope) scopeAggregate(this, scope);
  });
}

/** The scope of this query, or undefined (no actor, the system, or a declared cross-district read). */
function scopeFor(
  options: Record<string, unknown>,
  scopeOf: (actor: Actor) => DocumentScope,
): DocumentScope | undefined {
  if (options[CROSS_JURISDICTION_OPTION] !== undefined) {
    // Read, then removed: the driver must not see an option it does not know.
    delete options[CROSS_JURISDICTION_OPTION];
    return undefined;
  }
  const actor = scopingActor();
  return actor ? scopeOf(actor) : undefined;
}

/** `filter` and the condition, both required; an existing `$and` keeps its members. */
export function withCondition(filter: Filter, condition: Filter): Filter {
  const and = Array.isArray(filter.$and) ? (filter.$and as Filter[]) : [];
  return { ...filter, $and: [...and, condition] };
}

/**
 * The filter looks up by `_id` alone (equality or `$in`), the one shape mongo-java-server serves from its index.
 * The ids it names, or undefined for any other filter.
 */
export function idsOfIdLookup(filter: Filter): unknown[] | undefined {
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  const id = filter._id;
  if (id === null || id === undefined) return undefined;
  if (typeof id !== 'object' || isBsonValue(id)) return [id];
  const operators = Object.keys(id);
  if (operators.length !== 1) return undefined;
  const operand = (id as Filter)[operators[0] as string];
  if (operators[0] === '$eq') return [operand];
  if (operators[0] === '$in' && Array.isArray(operand)) return operand;
  return undefined;
}

function isBsonValue(value: object): boolean {
  return '_bsontype' in value || value instanceof Date;
}

/** The value at a dotted path of a plain object or a mongoose document. */
export function valueAt(document: unknown, path: string): unknown {
  if (document === null || typeof document !== 'object') return undefined;
  const get = (document as { get?: unknown }).get;
  if (typeof get === 'function' && '$__' in document)
    return (get as (p: string) => unknown).call(document, path);
  let value: unknown = document;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The document lies in the actor's subtree (a document without the field lies in nobody's). */
export function documentInScope(document: unknown, actor: Actor, field: string): boolean {
  const code = valueAt(document, field);
  return typeof code === 'string' && actor.covers(code);
}

/** The query's projection returns `field` (so a loaded document can be checked); else the filter must carry it. */
export function projectionKeeps(projection: unknown, field: string): boolean {
  return projectionKeepsAll(projection, [field]);
}

function projectionKeepsAll(projection: unknown, fields: readonly string[]): boolean {
  return fields.every((field) => projectionKeepsOne(projection, field));
}

function projectionKeepsOne(projection: unknown, field: string): boolean {
  if (projection === null || projection === undefined || typeof projection !== 'object') return true;
  const entries = Object.entries(projection as Record<string, unknown>).filter(([path]) => path !== '_id');
  if (entries.length === 0) return true;
  const covers = (path: string) => field === path || field.startsWith(`${path}.`);
  const inclusive = entries.some(([, value]) => value === 1 || value === true);
  if (inclusive) return entries.some(([path, value]) => (value === 1 || value === true) && covers(path));
  return !entries.some(([path, value]) => (value === 0 || value === false) && covers(path));
}

/** The operation a query runs (`op` is set by mongoose but not in its types). */
function operationOf(query: AnyQuery): string | undefined {
  return (query as unknown as { op?: string }).op;
}

function scopeRead(query: AnyQuery, scope: DocumentScope): void {
  const filter = query.getFilter() as Filter;
  const op = operationOf(query);
  const isLookup = op === 'findOne' || op === 'find';
  if (isLookup && idsOfIdLookup(filter) && projectionKeepsAll(query.projection(), scope.paths)) {
    // Checked after the load: the filter stays on `_id` alone and is served by the index.
    query.transform((result: unknown) => {
      if (Array.isArray(result)) return result.filter((document) => scope.covers(document));
      if (!result || scope.covers(result)) return result;
      // A cursor applies transforms one document at a time and takes null for its end: it cannot skip one.
      if (op === 'find') throw new OutOfJurisdictionError(scope.paths);
      return null;
    });
    return;
  }
  query.setQuery(withCondition(filter, scope.condition));
}

async function scopeWrite(query: AnyQuery, scope: DocumentScope): Promise<void> {
  const filter = query.getFilter() as Filter;
  const ids = idsOfIdLookup(filter);
  if (!ids) {
    // Any other filter is a scan on mongo-java-server already; the condition beside it costs no index.
    query.setQuery(withCondition(filter, scope.condition));
    return;
  }
  // Read the ids' scope fields by `_id` (indexed), and write only those in scope. The read is unscoped by
  // declaration (it is this check), and projects those fields alone.
  const found = await query.model
    .find({ _id: { $in: ids } }, Object.fromEntries(scope.paths.map((path) => [path, 1])))
    .setOptions(crossJurisdiction('the scope check of a write by _id'))
    .lean()
    .exec();
  const allowed = (found as Filter[]).filter((document) => scope.covers(document));
  // An upsert of an id nobody holds yet inserts: there is nothing of another district to protect.
  if (found.length === 0 && query.getOptions().upsert) return;
  // Nothing out of scope among them: the filter stays as it was (ids that do not exist match nothing).
  if (allowed.length === found.length) return;
  query.setQuery({ _id: { $in: allowed.map((document) => document._id) } });
}

function scopeAggregate(aggregate: Aggregate<unknown>, scope: DocumentScope): void {
  const pipeline = aggregate.pipeline() as PipelineStage[];
  const match = { $match: scope.condition } as PipelineStage;
  // $geoNear must stay the first stage; the scope goes right after it.
  const first = pipeline[0] as object | undefined;
  pipeline.splice(first && '$geoNear' in first ? 1 : 0, 0, match);
}
