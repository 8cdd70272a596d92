// The category catalogue as the rest of the service reads it; checked once, at start-up.
import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@linli/platform';
import { assertValidCatalogue } from './catalogue.rules';
import type { CategoryDefinition } from './catalogue.types';
import { CATEGORY_DATA } from './categories.data';

@Injectable()
export class CatalogueService {
  private readonly byCode: ReadonlyMap<string, CategoryDefinition>;

  constructor() {
    assertValidCatalogue(CATEGORY_DATA);
    this.byCode = new Map(CATEGORY_DATA.map((category) => [category.code, category]));
  }

  /** Every category, in the catalogue's order (public, convenience, safety, general). */
  list(): readonly CategoryDefinition[] {
    return CATEGORY_DATA;
  }

  /** The category, or NotFoundError (404) for a code that is not in the catalogue. */
  get(code: string): CategoryDefinition {
    const category = this.find(code);
    if (!category) throw new NotFoundError('category', code);
    return category;
  }

  find(code: string): CategoryDefinition | undefined {
    return this.byCode.get(code);
  }
}
