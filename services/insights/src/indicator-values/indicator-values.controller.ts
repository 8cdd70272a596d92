// HTTP of the indicators: definitions, values of a node for a period, a trend, a breakdown by sub-area; each as
// JSON, or with ?format=csv|xlsx as the same table in a file.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CSV_MEDIA_TYPE, tableFile, XLSX_MEDIA_TYPE, type Table } from '../exports/table-file';
import {
  FormatQuery,
  IndicatorTrendQuery,
  IndicatorValuesQuery,
  type AnswerFormat,
} from './dto/indicator-query.dto';
import { IndicatorValuesService } from './indicator-values.service';
import { breakdownTable, definitionsTable, trendTable, valuesTable } from './indicator-tables';

/** Who reads the indicators: the supervisors of a jurisdiction, the administrators, the auditors. */
export const INDICATOR_READERS = ['supervisor', 'admin', 'auditor'] as const;

/** The JSON answer, or the table it makes as a file when a file format was asked for. */
async function answer<T>(format: AnswerFormat | undefined, body: T, table: (body: T) => Table) {
  if (format === undefined || format === 'json') return body;
  const file = await tableFile(table(body), format);
  return new StreamableFile(file.body, {
    type: file.type,
    disposition: file.disposition,
    length: file.body.length,
  });
}

@ApiTags('indicators')
@ApiBearerAuth()
@Controller('indicators')
@Roles(...INDICATOR_READERS)
export class IndicatorValuesController {
  constructor(private readonly indicators: IndicatorValuesService) {}

  @Get()
  @ApiProduces('application/json', CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  async definitions(@Query() query: FormatQuery) {
    return answer(query.format, this.indicators.definitions(), definitionsTable);
  }

  @Get('values')
  @ApiProduces('application/json', CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  async values(@Query() query: IndicatorValuesQuery, @CurrentActor() actor: Actor) {
    return answer(query.format, await this.indicators.values(query, actor), valuesTable);
  }

  @Get(':code/trend')
  @ApiProduces('application/json', CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  async trend(
    @Param('code') code: string,
    @Query() query: IndicatorTrendQuery,
    @CurrentActor() actor: Actor,
  ) {
    return answer(query.format, await this.indicators.trend(code, query, actor), trendTable);
  }

  @Get(':code/breakdown')
  @ApiProduces('application/json', CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  async breakdown(
    @Param('code') code: string,
    @Query() query: IndicatorValuesQuery,
    @CurrentActor() actor: Actor,
  ) {
    return answer(query.format, await this.indicators.breakdown(code, query, actor), breakdownTable);
  }
}
