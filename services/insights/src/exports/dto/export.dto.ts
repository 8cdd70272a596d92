// POST /exports: any table the console shows, turned into a CSV or XLSX file. Bounded: columns, rows, text.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { config } from '../../config';
import { FILE_FORMATS, type FileFormat } from '../../indicator-values/dto/indicator-query.dto';

const REQUIRED = { message: '$property is required' };
export const TITLE_MAX_LENGTH = 200;
export const COLUMN_TEXT_MAX_LENGTH = 200;

export class ExportFormatQuery {
  @ApiPropertyOptional({ enum: FILE_FORMATS, default: 'csv' })
  @IsOptional()
  @IsIn(FILE_FORMATS)
  format?: FileFormat;
}

export class ExportColumnDto {
  @ApiProperty({ description: 'The rows’ property shown in this column', maxLength: COLUMN_TEXT_MAX_LENGTH })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(COLUMN_TEXT_MAX_LENGTH)
  key!: string;

  @ApiProperty({ description: 'The column’s heading', maxLength: COLUMN_TEXT_MAX_LENGTH })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(COLUMN_TEXT_MAX_LENGTH)
  label!: string;
}

export class ExportTableDto {
  @ApiProperty({
    description: 'The table’s title: the file’s name and the sheet’s',
    maxLength: TITLE_MAX_LENGTH,
  })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(TITLE_MAX_LENGTH)
  title!: string;

  @ApiProperty({ type: [ExportColumnDto], maxItems: config.EXPORT_MAX_COLUMNS })
  @IsDefined(REQUIRED)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(config.EXPORT_MAX_COLUMNS)
  @ValidateNested({ each: true })
  @Type(() => ExportColumnDto)
  columns!: ExportColumnDto[];

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    maxItems: config.EXPORT_MAX_ROWS,
    description: 'One object per row; each column shows the row’s property named by its key',
  })
  @IsDefined(REQUIRED)
  @IsArray()
  @ArrayMaxSize(config.EXPORT_MAX_ROWS)
  @IsObject({ each: true })
  rows!: Record<string, unknown>[];
}
