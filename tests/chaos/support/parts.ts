// The load parts of a run, fresh for each scenario (a part keeps its ledger in memory): the real ones of
// tests/chaos/load/ when present, or the runner's own smoke part. A part module may export a factory
// (`ticketsPart()`), a class implementing LoadPart, or a ready object; a factory or class is preferred, since a
// ready object would carry one scenario's ledger into the next.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { smokePart } from './smoke-part';
import type { LoadPart } from './types';

export const PART_NAMES = ['tickets', 'visits', 'cases', 'alerts'] as const;
const LOAD_DIR = path.resolve(__dirname, '../load');

function isPart(value: unknown): value is LoadPart {
  const part = value as LoadPart | undefined;
  return Boolean(part && typeof part.prepare === 'function' && typeof part.check === 'function');
}

/** A fresh LoadPart from one module's exports. */
export function partFrom(exports: Record<string, unknown>, name: string): LoadPart {
  const values = Object.entries(exports);
  for (const [key, value] of values) {
    if (typeof value !== 'function') continue;
    const fn = value as { prototype?: { prepare?: unknown } } & (() => unknown);
    if (fn.prototype && typeof fn.prototype.prepare === 'function') {
      return new (value as new () => LoadPart)();
    }
    if (key.endsWith('Part') && fn.length === 0) {
      const made = fn();
      if (isPart(made)) return made;
    }
  }
  const ready = values.map(([, value]) => value).find(isPart);
  if (ready) return ready;
  throw new Error(`tests/chaos/load/${name}.ts exports no LoadPart (a factory, a class or an object)`);
}

/** The parts asked for ('all': every real part that exists; 'smoke': the runner's own). */
export function loadParts(names: readonly string[]): LoadPart[] {
  if (names.length === 1 && names[0] === 'smoke') return [smokePart()];
  const wanted = names.length === 1 && names[0] === 'all' ? [...PART_NAMES] : names;
  const parts: LoadPart[] = [];
  for (const name of wanted) {
    if (name === 'smoke') {
      parts.push(smokePart());
      continue;
    }
    const file = path.join(LOAD_DIR, `${name}.ts`);
    if (!existsSync(file)) {
      if (names[0] === 'all') continue;
      throw new Error(`no part ${name}: ${file} does not exist`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    parts.push(partFrom(require(file) as Record<string, unknown>, name));
  }
  return parts.length ? parts : [smokePart()];
}

/** The parts' service env together; a variable two parts set differently is named (the last part's value wins). */
export function partsEnv(parts: readonly LoadPart[]): { env: Record<string, string>; conflicts: string[] } {
  const env: Record<string, string> = {};
  const conflicts: string[] = [];
  for (const part of parts) {
    for (const [key, value] of Object.entries(part.env)) {
      if (key in env && env[key] !== value && !key.includes('RATE_LIMIT')) {
        conflicts.push(`${key}: ${env[key]} then ${value} (${part.name})`);
      }
      env[key] = value;
    }
  }
  return { env, conflicts };
}
