// What clients send for cases (opening, changes, parties, assignment, recusal, extension, escalation, withdrawal,
// lists) and the views they get back; validated at the edge, with every text and list bounded.
import { CASE_RISK_LEVELS, CASE_TYPES } from '@linli/contracts';
import { IsDivisionCode } from '@linli/divisions';
import { PageQueryDto, queryBoolean } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { config } from '../../config';
import { CASE_STATUSES, PARTY_ROLES } from '../case.rules';
import { IsIdentityNumber, IsPhoneNumber } from '@linli/platform';

export const CASE_TEXT_LIMITS = { name: 50, reason: 500, note: 500, id: 64 } as const;
const REQUIRED = { message: '$property is required' };
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

export class PartyDto {
  @ApiProperty({ enum: PARTY_ROLES })
  @IsDefined(REQUIRED)
  @IsIn(PARTY_ROLES)
  role!: (typeof PARTY_ROLES)[number];

  @ApiProperty({ maxLength: CASE_TEXT_LIMITS.name })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(CASE_TEXT_LIMITS.name)
  name!: string;

  @ApiPropertyOptional({ example: '13812345678' })
  @IsOptional()
  @IsPhoneNumber()
  phone?: string;

  @ApiPropertyOptional({ example: '11010519491231002X', description: 'GB 11643, with its check character' })
  @IsOptional()
  @IsIdentityNumber()
  identityNumber?: string;
}

export class CreateCaseDto {
  @ApiProperty({ enum: CASE_TYPES })
  @IsDefined(REQUIRED)
  @IsIn(CASE_TYPES)
  caseType!: (typeof CASE_TYPES)[number];

  @ApiPropertyOptional({ enum: CASE_RISK_LEVELS, default: 'medium' })
  @IsOptional()
  @IsIn(CASE_RISK_LEVELS)
  riskLevel?: (typeof CASE_RISK_LEVELS)[number];

  @ApiProperty({ example: '320106001003', description: 'The 12-digit community, inside your jurisdiction' })
  @IsDefined(REQUIRED)
  @IsDivisionCode(['community'], {
    message: 'communityCode must be the 12-digit code of a community of the tree',
  })
  communityCode!: string;

  @ApiProperty({ maxLength: config.TEXT_MAX_LENGTH })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(config.TEXT_MAX_LENGTH)
  description!: string;

  @ApiPropertyOptional({
    type: [PartyDto],
    maxItems: config.MAX_PARTIES,
    description: 'Two are needed before a session',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(config.MAX_PARTIES)
  @ValidateNested({ each: true })
  @Type(() => PartyDto)
  parties?: PartyDto[];

  @ApiPropertyOptional({ description: 'The resident ticket the dispute came in as' })
  @IsOptional()
  @IsString()
  @MaxLength(CASE_TEXT_LIMITS.id)
  @Matches(ID_PATTERN, { message: 'ticketId must be an id' })
  ticketId?: string;
}

export class UpdateCaseDto {
  @ApiPropertyOptional({ enum: CASE_TYPES, description: 'The time limit stays as fixed at opening' })
  @IsOptional()
  @IsIn(CASE_TYPES)
  caseType?: (typeof CASE_TYPES)[number];

  @ApiPropertyOptional({ enum: CASE_RISK_LEVELS })
  @IsOptional()
  @IsIn(CASE_RISK_LEVELS)
  riskLevel?: (typeof CASE_RISK_LEVELS)[number];

  @ApiPropertyOptional({ maxLength: config.TEXT_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(config.TEXT_MAX_LENGTH)
  description?: string;
}

export class ReplacePartiesDto {
  @ApiProperty({ type: [PartyDto], maxItems: config.MAX_PARTIES })
  @IsDefined(REQUIRED)
  @IsArray()
  @ArrayMaxSize(config.MAX_PARTIES)
  @ValidateNested({ each: true })
  @Type(() => PartyDto)
  parties!: PartyDto[];
}

export class AssignDto {
  @ApiProperty({ description: 'The mediator’s provider id in dispatch' })
  @IsDefined(REQUIRED)
  @IsString()
  @MaxLength(CASE_TEXT_LIMITS.id)
  @Matches(ID_PATTERN, { message: 'mediatorId must be an id' })
  mediatorId!: string;

  @ApiPropertyOptional({ maxLength: CASE_TEXT_LIMITS.note })
  @IsOptional()
  @IsString()
  @MaxLength(CASE_TEXT_LIMITS.note)
  note?: string;
}

export class ReasonDto {
  @ApiProperty({ maxLength: CASE_TEXT_LIMITS.reason })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(CASE_TEXT_LIMITS.reason)
  reason!: string;
}

export class ExtendDto extends ReasonDto {
  @ApiPropertyOptional({ minimum: 1, description: 'Days added to the current limit (or give untilAt)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  days?: number;

  @ApiPropertyOptional({
    description: 'The new limit (ISO date-time): after the current one, within the maximum',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'untilAt must be an ISO 8601 date-time' })
  untilAt?: string;
}

export class EscalateDto {
  @ApiProperty({ maxLength: CASE_TEXT_LIMITS.note })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(CASE_TEXT_LIMITS.note)
  note!: string;
}

export class ListCasesQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: (typeof CASE_STATUSES)[number];

  @ApiPropertyOptional({ enum: CASE_TYPES })
  @IsOptional()
  @IsIn(CASE_TYPES)
  caseType?: (typeof CASE_TYPES)[number];

  @ApiPropertyOptional({ enum: CASE_RISK_LEVELS })
  @IsOptional()
  @IsIn(CASE_RISK_LEVELS)
  riskLevel?: (typeof CASE_RISK_LEVELS)[number];

  @ApiPropertyOptional({ description: 'Escalated at least once (true) or never (false)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  escalated?: boolean;

  @ApiPropertyOptional({ description: 'For a mediator: only the cases they hold' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  mine?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(CASE_TEXT_LIMITS.id)
  ticketId?: string;
}

// ---- views ----

export class PartyView {
  @ApiProperty({ example: 'P1' }) partyId!: string;
  @ApiProperty({ enum: PARTY_ROLES }) role!: string;
  @ApiProperty({ description: 'Masked (王**) unless you hold the case, supervise or administer' })
  name!: string;
  @ApiPropertyOptional({ example: '138****5678' }) phone?: string;
  @ApiPropertyOptional({ example: '320106********123X' }) identityNumber?: string;
}

export class CaseView {
  @ApiProperty({ example: 'C20261129-000012' }) caseId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ enum: CASE_TYPES }) caseType!: string;
  @ApiProperty({ enum: CASE_RISK_LEVELS }) riskLevel!: string;
  @ApiProperty({ enum: ['ticket', 'mediator', 'operator'] }) source!: string;
  @ApiPropertyOptional() ticketId?: string;
  @ApiProperty() communityCode!: string;
  @ApiProperty() communityName!: string;
  @ApiProperty({
    enum: ['whole', 'masked'],
    description:
      'Whether names and texts below are shown whole; parties’ phones and identity numbers are whole only for the mediator holding the case',
  })
  personalData!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [PartyView] }) parties!: PartyView[];
  @ApiProperty() openedAt!: string;
  @ApiProperty() timeLimitAt!: string;
  @ApiProperty({
    description:
      'How the time limit was set: by the case type at opening (a later change of type does not move it), by the ' +
      'one extension, or at a reopening',
    enum: ['case-type-at-opening', 'extended', 'reopened'],
  })
  timeLimitBasis!: string;
  @ApiPropertyOptional() extension?: Record<string, unknown>;
  @ApiProperty() withinTimeLimit!: boolean;
  @ApiPropertyOptional() mediator?: Record<string, unknown>;
  @ApiPropertyOptional() request?: Record<string, unknown>;
  @ApiProperty() released!: Record<string, unknown>[];
  @ApiProperty() sessions!: Record<string, unknown>[];
  @ApiPropertyOptional() outcome?: Record<string, unknown>;
  @ApiProperty() previousOutcomes!: Record<string, unknown>[];
  @ApiProperty() followUps!: Record<string, unknown>[];
  @ApiProperty() escalations!: Record<string, unknown>[];
  @ApiPropertyOptional() closed?: Record<string, unknown>;
  @ApiProperty() timeline!: Record<string, unknown>[];
}

export class CaseListItem {
  @ApiProperty() caseId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: CASE_STATUSES }) status!: string;
  @ApiProperty({ enum: CASE_TYPES }) caseType!: string;
  @ApiProperty({ enum: CASE_RISK_LEVELS }) riskLevel!: string;
  @ApiProperty() source!: string;
  @ApiPropertyOptional() ticketId?: string;
  @ApiProperty() communityCode!: string;
  @ApiProperty() communityName!: string;
  @ApiProperty({ description: 'Parties are counted in lists, never named' }) partyCount!: number;
  @ApiProperty() openedAt!: string;
  @ApiProperty() timeLimitAt!: string;
  @ApiProperty() withinTimeLimit!: boolean;
  @ApiPropertyOptional() mediatorId?: string;
  @ApiPropertyOptional() requestStatus?: string;
  @ApiProperty() escalationLevel!: number;
  @ApiPropertyOptional() escalatedTo?: string;
  @ApiPropertyOptional() closedReason?: string;
}

export class CasePage {
  @ApiProperty({ type: [CaseListItem] }) items!: CaseListItem[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
