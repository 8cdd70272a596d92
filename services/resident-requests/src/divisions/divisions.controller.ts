// The administrative tree for the console's pickers: any signed-in user may search it (names and codes of the
// National Bureau of Statistics, no personal data), within their own jurisdiction unless they narrow it further.
import { Actor, CurrentActor } from '@linli/auth';
import { DIVISION_LEVELS, IsDivisionCode, administrativeTree, type DivisionLevel } from '@linli/divisions';
import { NotFoundError } from '@linli/platform';
import { Controller, Get, Injectable, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DivisionIndex, type DivisionHit } from './division-search';

export const DIVISION_SEARCH_MAX_LIMIT = 50;

export class DivisionSearchQuery {
  @ApiPropertyOptional({
    description: 'Part of a name (仙霞路) or the start of a code; absent lists the divisions in code order',
    maxLength: 40,
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  q?: string;

  @ApiPropertyOptional({
    example: '320106',
    description: "Search within this division; default the caller's jurisdiction",
  })
  @IsOptional()
  @IsString()
  @IsDivisionCode()
  under?: string;

  @ApiPropertyOptional({ enum: DIVISION_LEVELS })
  @IsOptional()
  @IsIn(DIVISION_LEVELS)
  level?: DivisionLevel;

  @ApiPropertyOptional({ minimum: 1, maximum: DIVISION_SEARCH_MAX_LIMIT, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DIVISION_SEARCH_MAX_LIMIT)
  limit?: number;
}

/** The process's index of the tree, built once at start-up (the tree itself is shared with the validators). */
@Injectable()
export class DivisionSearch {
  private readonly index = new DivisionIndex(administrativeTree());

  search(query: DivisionSearchQuery, actor: Actor): DivisionHit[] {
    const under = query.under ?? actor.jurisdiction;
    // Wider than the caller's own subtree is narrowed to it; another subtree altogether is not theirs to browse.
    const within = under.startsWith(actor.jurisdiction)
      ? under
      : actor.jurisdiction.startsWith(under)
        ? actor.jurisdiction
        : undefined;
    if (within === undefined) throw new NotFoundError('division', under);
    return this.index.search({
      text: query.q ?? '',
      under: within,
      level: query.level,
      limit: query.limit ?? 20,
    });
  }
}

@ApiTags('divisions')
@ApiBearerAuth()
@Controller('divisions')
export class DivisionsController {
  constructor(private readonly divisions: DivisionSearch) {}

  /** Every signed-in role: operators, coordinators, supervisors, mediators and providers all pick places. */
  @Get()
  search(@Query() query: DivisionSearchQuery, @CurrentActor() actor: Actor): { items: DivisionHit[] } {
    return { items: this.divisions.search(query, actor) };
  }
}
