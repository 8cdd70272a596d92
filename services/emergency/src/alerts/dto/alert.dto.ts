// What coordinators send to compose alerts (issue, update, cancel); validated at the edge, every text bounded.
import {
  ALERT_AUDIENCES,
  ALERT_CERTAINTIES,
  ALERT_LANGUAGES,
  ALERT_RESPONSES,
  ALERT_URGENCIES,
  MAX_HEADLINE,
  MAX_INCIDENT_AREAS,
  MAX_INSTRUCTION,
  SEVERITIES,
} from '@linli/contracts';
import { IsDivisionCode } from '@linli/divisions';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { config } from '../../config';

/** A week: longer than any chase makes sense. */
export const MAX_ACKNOWLEDGE_MINUTES = 7 * 24 * 60;
export const REASON_MAX_LENGTH = 500;

/** POST /incidents/:id/alerts: audiences, headline, description, urgency, severity, certainty required. */
export class IssueAlertDto {
  @ApiProperty({ enum: ALERT_AUDIENCES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ALERT_AUDIENCES.length)
  @ArrayUnique()
  @IsIn(ALERT_AUDIENCES, { each: true })
  audiences!: (typeof ALERT_AUDIENCES)[number][];

  @ApiProperty({ maxLength: MAX_HEADLINE })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_HEADLINE)
  headline!: string;

  @ApiProperty({ maxLength: config.TEXT_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(config.TEXT_MAX_LENGTH)
  description!: string;

  @ApiPropertyOptional({ maxLength: MAX_INSTRUCTION })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_INSTRUCTION)
  instruction?: string;

  @ApiProperty({ enum: ALERT_URGENCIES })
  @IsIn(ALERT_URGENCIES)
  urgency!: (typeof ALERT_URGENCIES)[number];

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity!: (typeof SEVERITIES)[number];

  @ApiProperty({ enum: ALERT_CERTAINTIES })
  @IsIn(ALERT_CERTAINTIES)
  certainty!: (typeof ALERT_CERTAINTIES)[number];

  @ApiPropertyOptional({ enum: ALERT_RESPONSES })
  @IsOptional()
  @IsIn(ALERT_RESPONSES)
  response?: (typeof ALERT_RESPONSES)[number];

  @ApiPropertyOptional({ enum: ALERT_LANGUAGES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(ALERT_LANGUAGES)
  language?: (typeof ALERT_LANGUAGES)[number];

  @ApiPropertyOptional({ description: 'ISO 8601, in the future; default now + ALERT_DEFAULT_EXPIRY_MS' })
  @IsOptional()
  @IsDateString({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ACKNOWLEDGE_MINUTES })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ACKNOWLEDGE_MINUTES)
  acknowledgeWithinMinutes?: number;

  @ApiPropertyOptional({ type: [String], description: "Default the incident's areas; must lie within them" })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_INCIDENT_AREAS)
  @IsDivisionCode(undefined, {
    each: true,
    message: 'each of areas must be a code of the administrative tree',
  })
  areas?: string[];
}

/** The composable fields, all optional: an Update sends only what changes. */
export class AlertChangesDto extends PartialType(IssueAlertDto) {}

export class CancelAlertDto {
  @ApiPropertyOptional({ maxLength: REASON_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(REASON_MAX_LENGTH)
  reason?: string;
}
