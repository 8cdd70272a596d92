// What clients ask the indicators for: a node of the administrative tree, a period kind and a local date in it
// (Asia/Shanghai), the length of a trend, and the answer's format. Bad values are 400s naming the field.
import { IsDivisionCode } from '@linli/divisions';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  Validate,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { ValidatorConstraint } from 'class-validator';
import { config } from '../../config';
import { PERIOD_KINDS, parseLocalDate, type PeriodKind } from '../../indicators/periods';

export const ANSWER_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type AnswerFormat = (typeof ANSWER_FORMATS)[number];
export const FILE_FORMATS = ['csv', 'xlsx'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

@ValidatorConstraint({ name: 'isLocalDate' })
class IsLocalDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseLocalDate(value) !== null;
  }
  defaultMessage(): string {
    return 'date must be a day of the calendar, YYYY-MM-DD (Asia/Shanghai)';
  }
}

/** ?format= of any indicator read: JSON (default), or the same table as a CSV or XLSX file. */
export class FormatQuery {
  @ApiPropertyOptional({ enum: ANSWER_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(ANSWER_FORMATS)
  format?: AnswerFormat;
}

export class IndicatorValuesQuery extends FormatQuery {
  @ApiPropertyOptional({
    description: 'Division code (province … community); default: the caller’s jurisdiction',
    example: '320106',
  })
  @IsOptional()
  @IsDivisionCode()
  node?: string;

  @ApiPropertyOptional({ enum: PERIOD_KINDS, default: 'month' })
  @IsOptional()
  @IsIn(PERIOD_KINDS)
  period?: PeriodKind;

  @ApiPropertyOptional({
    description: 'A local date in the period (YYYY-MM-DD); default: today in Asia/Shanghai',
  })
  @IsOptional()
  @Validate(IsLocalDate)
  date?: string;
}

export class IndicatorTrendQuery extends IndicatorValuesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: config.TREND_MAX_COUNT, default: 12 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(config.TREND_MAX_COUNT)
  count?: number;
}
