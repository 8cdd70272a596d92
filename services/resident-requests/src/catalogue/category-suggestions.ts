// Categories suggested from what the resident says, while the operator types it: the catalogue's keywords (zh and
// en, the same Open311 serves) found in the description. A suggestion, never a decision: the operator picks.
import type { BilingualText, CategoryDefinition } from './catalogue.types';

export interface CategorySuggestion {
  code: string;
  name: BilingualText;
  /** How many of the category's keywords the text contains. */
  score: number;
  /** Those keywords, longest first. */
  matched: string[];
}

/** Full-width letters as half-width, lower case: 'LEAK' and 'ｌｅａｋ' as 'leak'. */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Chinese is written without spaces, so a Chinese keyword counts anywhere in the text; an English one only as
 * whole words ('tap' is not in 'taping', 'lock' not in 'block').
 */
function contains(text: string, keyword: string): boolean {
  const normalised = normalise(keyword);
  if (!/^[a-z0-9 '-]+$/.test(normalised)) return text.includes(normalised);
  return new RegExp(`(^|[^a-z0-9])${escape(normalised)}(s|es)?($|[^a-z0-9])`).test(text);
}

/**
 * The categories whose keywords occur in `text`, best first: more keywords matched, then the longest keyword
 * matched (漏水 says more than 水), then the catalogue's order. At most `limit`.
 */
export function suggestCategories(
  text: string,
  catalogue: readonly CategoryDefinition[],
  limit = 5,
): CategorySuggestion[] {
  const normalised = normalise(text);
  const ranked = catalogue
    .map((category, order) => {
      const matched = [...category.keywords.zh, ...category.keywords.en]
        .filter((keyword) => contains(normalised, keyword))
        .sort((a, b) => b.length - a.length);
      return { category, order, matched };
    })
    .filter(({ matched }) => matched.length > 0);
  ranked.sort(
    (a, b) =>
      b.matched.length - a.matched.length ||
      (b.matched[0] as string).length - (a.matched[0] as string).length ||
      a.order - b.order,
  );
  return ranked.slice(0, limit).map(({ category, matched }) => ({
    code: category.code,
    name: category.name,
    score: matched.length,
    matched,
  }));
}
