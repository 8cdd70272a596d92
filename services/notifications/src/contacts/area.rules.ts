// Where a contact is, against where a message is for: administrative codes (2/4/6/9/12 digits) that overlap when
// one is a prefix of the other (a street's worker is inside a district's alert; a district's coordinator covers a
// community's alert).

export const LEVEL_LENGTHS = [2, 4, 6, 9, 12] as const;

/** Every administrative prefix of a code, itself included: 320106001003 → 32, 3201, 320106, 320106001, 320106001003. */
export function prefixesOf(code: string): string[] {
  return LEVEL_LENGTHS.filter((length) => length <= code.length).map((length) => code.slice(0, length));
}

/** The prefixes of every code, once each (the contact's `areaPrefixes`). */
export function areaPrefixesOf(codes: readonly string[]): string[] {
  return [...new Set(codes.flatMap(prefixesOf))].sort();
}

/** One code a prefix of the other. */
export function areasOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => x.startsWith(y) || y.startsWith(x)));
}

/** The longest administrative code that is a prefix of every area ('' when they share no province). */
export function jurisdictionOf(areas: readonly string[]): string {
  const [first, ...rest] = areas;
  if (first === undefined) return '';
  const common = prefixesOf(first).filter((prefix) => rest.every((area) => area.startsWith(prefix)));
  return common[common.length - 1] ?? '';
}

/**
 * The MongoDB filter of contacts whose areas overlap `areas`: inside one of them (one of the contact's prefixes is
 * an area) or covering one (one of the contact's areas is a prefix of an area). Both are multikey `$in` lookups.
 */
export function overlappingAreasFilter(areas: readonly string[]): Record<string, unknown> {
  return { $or: [{ areaPrefixes: { $in: [...areas] } }, { areas: { $in: areaPrefixesOf(areas) } }] };
}

/** The filter of contacts whose areas cover `code` (one of their areas is a prefix of it, or is it). */
export function coveringFilter(codes: readonly string[]): Record<string, unknown> {
  return { areas: { $in: areaPrefixesOf(codes) } };
}

/**
 * Of contacts covering `code`, the nearest: those whose covering area is the longest (the community's supervisors
 * before the street's, the street's before the district's…). Contacts that do not cover it are left out.
 */
export function nearestCovering<T extends { areas: readonly string[] }>(
  contacts: readonly T[],
  code: string,
): T[] {
  const depth = (contact: T) =>
    Math.max(-1, ...contact.areas.filter((area) => code.startsWith(area)).map((area) => area.length));
  const deepest = Math.max(-1, ...contacts.map(depth));
  return deepest < 0 ? [] : contacts.filter((contact) => depth(contact) === deepest);
}
