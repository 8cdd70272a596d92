// Searching the administrative tree by name or code, for the console's pickers (the community of a ticket, the
// streets of an incident). The index is built once from the tree: the divisions sorted by code, so the subtree under
// any code is one contiguous range found by binary search, and a search scans only that range. Pure: no framework.
import type { AdministrativeTree, Division, DivisionLevel } from '@linli/divisions';

export interface DivisionHit {
  code: string;
  name: string;
  level: DivisionLevel;
  /** The names above it, the province left out: '南京市 鼓楼区 宁海路街道' for a community of that street. */
  path: string;
}

export interface DivisionQuery {
  /** Part of a name (仙霞, 仙霞路社区) or the start of a code (320106001); empty lists the subtree in code order. */
  text: string;
  /** Code prefix to search within ('' the whole tree). */
  under: string;
  level?: DivisionLevel;
  limit: number;
}

/** How well a division matches, best first: the order of the answer. */
export const MATCH_RANKS = ['exact', 'prefix', 'contains'] as const;
export type MatchRank = (typeof MATCH_RANKS)[number];

/**
 * What people leave out when they say a name: 仙霞路社区 for 仙霞路社区居委会, 双塘村 for 双塘村村委会. The tree's
 * names carry the committee's full title; a name without it still counts as exact.
 */
const NAME_SUFFIXES = ['社区居民委员会', '村民委员会', '居民委员会', '居委会', '村委会', '委员会'];

/** Full-width digits and letters as half-width, spaces out, lower case: 仙霞 路 and ３２０１ as typed. */
export function normaliseQuery(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function shortName(name: string): string {
  const suffix = NAME_SUFFIXES.find((s) => name.endsWith(s) && name.length > s.length);
  return suffix ? name.slice(0, -suffix.length) : name;
}

const isCodeText = (text: string) => /^\d+$/.test(text);

/** How `division` matches the normalised text, or undefined when it does not. */
export function matchRank(division: Pick<Division, 'code' | 'name'>, text: string): MatchRank | undefined {
  return rankOf(division.code, division.name.toLowerCase(), shortName(division.name.toLowerCase()), text);
}

function rankOf(code: string, name: string, short: string, text: string): MatchRank | undefined {
  if (isCodeText(text)) {
    if (code === text) return 'exact';
    return code.startsWith(text) ? 'prefix' : undefined;
  }
  if (name === text || short === text) return 'exact';
  if (name.startsWith(text)) return 'prefix';
  return name.includes(text) ? 'contains' : undefined;
}

interface Candidate {
  division: Division;
  rank: number;
}

export class DivisionIndex {
  /** Every division, sorted by code: a subtree is the range of codes starting with its code. */
  private readonly divisions: Division[];
  private readonly codes: string[];
  /** Lower-cased names, and without the committee's title: computed once, not at every keystroke. */
  private readonly names: string[];
  private readonly shortNames: string[];

  constructor(private readonly tree: AdministrativeTree) {
    // The tree's own search with an empty text is every division (names all contain '').
    this.divisions = tree
      .search('', { limit: Number.POSITIVE_INFINITY })
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.codes = this.divisions.map((division) => division.code);
    this.names = this.divisions.map((division) => division.name.toLowerCase());
    this.shortNames = this.names.map(shortName);
  }

  get size(): number {
    return this.divisions.length;
  }

  search(query: DivisionQuery): DivisionHit[] {
    const text = normaliseQuery(query.text);
    const [from, to] = this.rangeOf(query.under);
    // Best match first; then the shallower division (a district before its streets of the same name), for a name
    // the shorter one (closer to what was typed), and the code, so the order is stable.
    const byName = !isCodeText(text);
    const better = (a: Candidate, b: Candidate) =>
      a.rank - b.rank ||
      a.division.code.length - b.division.code.length ||
      (byName ? a.division.name.length - b.division.name.length : 0) ||
      (a.division.code < b.division.code ? -1 : 1);
    // The best `limit` so far, kept in order: a broad text (村) matches half the country, which is not sorted.
    const best: Candidate[] = [];
    for (let i = from; i < to; i++) {
      const division = this.divisions[i] as Division;
      if (query.level && division.level !== query.level) continue;
      let rank = 0;
      if (text !== '') {
        const match = rankOf(division.code, this.names[i] as string, this.shortNames[i] as string, text);
        if (match === undefined) continue;
        rank = MATCH_RANKS.indexOf(match);
      } else if (best.length === query.limit) {
        // Listing in code order: nothing after ranks better than what is there.
        break;
      }
      const candidate = { division, rank };
      if (best.length === query.limit && better(candidate, best[best.length - 1] as Candidate) >= 0) continue;
      let at = best.length;
      while (at > 0 && better(candidate, best[at - 1] as Candidate) < 0) at--;
      best.splice(at, 0, candidate);
      if (best.length > query.limit) best.pop();
    }
    return best.map(({ division }) => this.hit(division));
  }

  private hit(division: Division): DivisionHit {
    const above = this.tree
      .pathOf(division.code)
      .slice(0, -1)
      .filter((ancestor) => ancestor.level !== 'province');
    return {
      code: division.code,
      name: division.name,
      level: division.level,
      path: above.map((ancestor) => ancestor.name).join(' '),
    };
  }

  /** [first, end) of the codes starting with `prefix`. Codes are digits, and ':' sorts right after '9'. */
  private rangeOf(prefix: string): [number, number] {
    if (prefix === '') return [0, this.codes.length];
    return [this.lowerBound(prefix), this.lowerBound(`${prefix}:`)];
  }

  private lowerBound(key: string): number {
    let low = 0;
    let high = this.codes.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.codes[middle] as string) < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
