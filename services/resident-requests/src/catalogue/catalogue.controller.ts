import { PublicRoute } from '@linli/platform';
import { Controller, Get } from '@nestjs/common';
import { CatalogueService } from './catalogue.service';
import type { CategoryDefinition } from './catalogue.types';

@Controller('categories')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  /** Public: the catalogue holds no personal data, and web and app forms need it before anyone signs in. */
  @PublicRoute()
  @Get()
  list(): { items: readonly CategoryDefinition[] } {
    return { items: this.catalogue.list() };
  }
}
