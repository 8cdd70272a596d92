import { Roles } from '@linli/auth';
import { PublicRoute } from '@linli/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { config } from '../config';
import { CatalogueService } from './catalogue.service';
import type { CategoryDefinition } from './catalogue.types';
import { suggestCategories, type CategorySuggestion } from './category-suggestions';

export class CategorySuggestionsQuery {
  @ApiProperty({
    description: "The ticket's description as typed so far",
    maxLength: config.DESCRIPTION_MAX_LENGTH,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(config.DESCRIPTION_MAX_LENGTH)
  text!: string;
}

@Controller('categories')
export class CatalogueController {
  constructor(private readonly catalogue: CatalogueService) {}

  /** Public: the catalogue holds no personal data, and web and app forms need it before anyone signs in. */
  @PublicRoute()
  @Get()
  list(): { items: readonly CategoryDefinition[] } {
    return { items: this.catalogue.list() };
  }

  /**
   * Categories suggested from a description while the hotline types it. Not public: the text is what a resident
   * said on the phone.
   */
  @ApiBearerAuth()
  @Roles('operator', 'supervisor', 'admin')
  @Get('suggestions')
  suggestions(@Query() query: CategorySuggestionsQuery): { items: CategorySuggestion[] } {
    return { items: suggestCategories(query.text, this.catalogue.list()) };
  }
}
