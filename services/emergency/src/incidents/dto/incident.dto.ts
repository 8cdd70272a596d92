// What clients send for incidents (declaration, updates, state changes, lists) and the views they get back;
// validated at the edge, every text and list bounded. The polygon's geometry is checked by the rules (field named).
import {
  INCIDENT_CLOSE_REASONS,
  INCIDENT_KINDS,
  INCIDENT_STATUSES,
  MAX_INCIDENT_AREAS,
  SEVERITIES,
} from '@linli/contracts';
import { IsDivisionCode } from '@linli/divisions';
import { PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { config } from '../../config';
import type { GeoPolygon } from '../incident.rules';

const REQUIRED = { message: '$property is required' };
export const TITLE_MAX_LENGTH = 200;

export class DeclareIncidentDto {
  @ApiProperty({ enum: INCIDENT_KINDS })
  @IsDefined(REQUIRED)
  @IsIn(INCIDENT_KINDS)
  kind!: (typeof INCIDENT_KINDS)[number];

  @ApiProperty({ enum: SEVERITIES })
  @IsDefined(REQUIRED)
  @IsIn(SEVERITIES)
  severity!: (typeof SEVERITIES)[number];

  @ApiProperty({ maxLength: TITLE_MAX_LENGTH })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(TITLE_MAX_LENGTH)
  title!: string;

  @ApiProperty({ maxLength: config.TEXT_MAX_LENGTH })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(config.TEXT_MAX_LENGTH)
  description!: string;

  @ApiProperty({
    type: [String],
    example: ['320106001003'],
    description: 'Codes of the affected divisions (street, community or larger), inside your jurisdiction',
  })
  @IsDefined(REQUIRED)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INCIDENT_AREAS)
  @IsDivisionCode(undefined, {
    each: true,
    message: 'each of areas must be a code of the administrative tree',
  })
  areas!: string[];

  @ApiPropertyOptional({
    description: "GeoJSON Polygon {type:'Polygon', coordinates:[[[lon,lat],…]]}, closed rings",
  })
  @IsOptional()
  @IsObject()
  polygon?: GeoPolygon;
}

export class UpdateIncidentDto {
  @ApiPropertyOptional({ description: 'The version you read: 409 if the incident changed since' })
  @IsOptional()
  @IsInt()
  @Min(0)
  version?: number;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: (typeof SEVERITIES)[number];

  @ApiPropertyOptional({ type: [String], description: 'The whole new list of areas (it may grow or shrink)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INCIDENT_AREAS)
  @IsDivisionCode(undefined, {
    each: true,
    message: 'each of areas must be a code of the administrative tree',
  })
  areas?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsObject()
  polygon?: GeoPolygon;

  @ApiPropertyOptional({ maxLength: config.TEXT_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(config.TEXT_MAX_LENGTH)
  description?: string;
}

export class CloseIncidentDto {
  @ApiProperty({ enum: INCIDENT_CLOSE_REASONS })
  @IsDefined(REQUIRED)
  @IsIn(INCIDENT_CLOSE_REASONS)
  reason!: (typeof INCIDENT_CLOSE_REASONS)[number];
}

export class ListIncidentsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES })
  @IsOptional()
  @IsIn(INCIDENT_STATUSES)
  status?: (typeof INCIDENT_STATUSES)[number];
}
