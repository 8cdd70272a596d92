// What clients send and get for elders: registration, profile changes, status, lists, the community contact
// list; validated at the edge (the same classes validate each row of a CSV import).
import {
  CARE_LEVELS,
  ELDER_INACTIVE_REASONS,
  ELDER_STATUSES,
  HARDSHIP_FLAGS,
  LIVING_SITUATIONS,
} from '@linli/contracts';
import { IsDivisionCode } from '@linli/divisions';
import { CoordinatesDto, IsLocalDate, IsPhoneNumber, PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
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
import { GENDERS } from '../elder.rules';

export const ELDER_TEXT_LIMITS = { name: 50, address: 200, relation: 20, role: 30 } as const;
export const MAX_ELDER_CONTACTS = 5;
export const MAX_COMMUNITY_CONTACTS = 20;

const REQUIRED = { message: '$property is required' };

export class ElderContactDto {
  @ApiProperty({ maxLength: ELDER_TEXT_LIMITS.name })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(ELDER_TEXT_LIMITS.name)
  name!: string;

  @ApiProperty({ maxLength: ELDER_TEXT_LIMITS.relation, example: 'son' })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(ELDER_TEXT_LIMITS.relation)
  relation!: string;

  @ApiProperty({ example: '13912345678' })
  @IsDefined(REQUIRED)
  @IsPhoneNumber()
  phone!: string;
}

export class RegisterElderDto {
  @ApiProperty({ maxLength: ELDER_TEXT_LIMITS.name })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(ELDER_TEXT_LIMITS.name)
  name!: string;

  @ApiProperty({ enum: GENDERS })
  @IsDefined(REQUIRED)
  @IsIn(GENDERS)
  gender!: (typeof GENDERS)[number];

  @ApiProperty({ example: '1942-03-15', description: 'Local date' })
  @IsDefined(REQUIRED)
  @IsLocalDate()
  birthDate!: string;

  @ApiProperty({
    example: '32010619420315124X',
    description: '18 characters (GB 11643); the birth date and gender it encodes must match',
  })
  @IsDefined(REQUIRED)
  @IsString()
  @Matches(/^\d{17}[\dXx]$/, { message: 'identityNumber must be 18 characters: 17 digits and a digit or X' })
  identityNumber!: string;

  @ApiProperty({ example: '13812345678' })
  @IsDefined(REQUIRED)
  @IsPhoneNumber()
  phone!: string;

  @ApiProperty({ example: '320106001003', description: 'The 12-digit community code' })
  @IsDefined(REQUIRED)
  @IsDivisionCode(['community'], { message: 'community must be the code of a community of the tree' })
  community!: string;

  @ApiProperty({ maxLength: ELDER_TEXT_LIMITS.address })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(ELDER_TEXT_LIMITS.address)
  address!: string;

  @ApiPropertyOptional({ type: CoordinatesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  home?: CoordinatesDto;

  @ApiProperty({ enum: LIVING_SITUATIONS })
  @IsDefined(REQUIRED)
  @IsIn(LIVING_SITUATIONS)
  livingSituation!: (typeof LIVING_SITUATIONS)[number];

  @ApiProperty({ enum: CARE_LEVELS })
  @IsDefined(REQUIRED)
  @IsIn(CARE_LEVELS)
  careLevel!: (typeof CARE_LEVELS)[number];

  @ApiPropertyOptional({ enum: HARDSHIP_FLAGS, isArray: true, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(HARDSHIP_FLAGS, { each: true })
  hardship?: (typeof HARDSHIP_FLAGS)[number][];

  @ApiPropertyOptional({ type: ElderContactDto, isArray: true, maxItems: MAX_ELDER_CONTACTS, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ELDER_CONTACTS)
  @ValidateNested({ each: true })
  @Type(() => ElderContactDto)
  emergencyContacts?: ElderContactDto[];

  @ApiProperty({ description: 'The elder (or guardian) agreed to door-to-door services' })
  @IsDefined(REQUIRED)
  @IsBoolean()
  consentToServices!: boolean;
}

export class UpdateElderDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsPhoneNumber()
  phone?: string;

  @ApiPropertyOptional({ description: 'The 12-digit community code (moved)' })
  @IsOptional()
  @IsDivisionCode(['community'], { message: 'community must be the code of a community of the tree' })
  community?: string;

  @ApiPropertyOptional({ maxLength: ELDER_TEXT_LIMITS.address })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(ELDER_TEXT_LIMITS.address)
  address?: string;

  @ApiPropertyOptional({ type: CoordinatesDto, nullable: true, description: 'null forgets the position' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  home?: CoordinatesDto | null;

  @ApiPropertyOptional({ enum: LIVING_SITUATIONS })
  @IsOptional()
  @IsIn(LIVING_SITUATIONS)
  livingSituation?: (typeof LIVING_SITUATIONS)[number];

  @ApiPropertyOptional({ enum: CARE_LEVELS })
  @IsOptional()
  @IsIn(CARE_LEVELS)
  careLevel?: (typeof CARE_LEVELS)[number];

  @ApiPropertyOptional({ enum: HARDSHIP_FLAGS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(HARDSHIP_FLAGS, { each: true })
  hardship?: (typeof HARDSHIP_FLAGS)[number][];

  @ApiPropertyOptional({ type: ElderContactDto, isArray: true, maxItems: MAX_ELDER_CONTACTS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ELDER_CONTACTS)
  @ValidateNested({ each: true })
  @Type(() => ElderContactDto)
  emergencyContacts?: ElderContactDto[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  consentToServices?: boolean;

  @ApiPropertyOptional({ description: 'The version read; 409 when the elder changed since' })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}

export class DeactivateElderDto {
  @ApiProperty({ enum: ELDER_INACTIVE_REASONS })
  @IsDefined(REQUIRED)
  @IsIn(ELDER_INACTIVE_REASONS)
  reason!: (typeof ELDER_INACTIVE_REASONS)[number];
}

export class ListEldersQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Administrative code prefix (a district, a street, a community)' })
  @IsOptional()
  @Matches(/^[0-9]{2,12}$/, { message: 'community must be an administrative code (prefix)' })
  community?: string;

  @ApiPropertyOptional({ enum: LIVING_SITUATIONS })
  @IsOptional()
  @IsIn(LIVING_SITUATIONS)
  livingSituation?: string;

  @ApiPropertyOptional({ enum: CARE_LEVELS })
  @IsOptional()
  @IsIn(CARE_LEVELS)
  careLevel?: string;

  @ApiPropertyOptional({ enum: HARDSHIP_FLAGS })
  @IsOptional()
  @IsIn(HARDSHIP_FLAGS)
  hardship?: string;

  @ApiPropertyOptional({ enum: ELDER_STATUSES })
  @IsOptional()
  @IsIn(ELDER_STATUSES)
  status?: string;
}

export class CommunityContactDto {
  @ApiProperty({ maxLength: ELDER_TEXT_LIMITS.name })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(ELDER_TEXT_LIMITS.name)
  name!: string;

  @ApiProperty({ maxLength: ELDER_TEXT_LIMITS.role, example: '网格员' })
  @IsDefined(REQUIRED)
  @IsString()
  @MinLength(1)
  @MaxLength(ELDER_TEXT_LIMITS.role)
  role!: string;

  @ApiProperty({ example: '13812345678' })
  @IsDefined(REQUIRED)
  @IsPhoneNumber()
  phone!: string;
}

export class CommunityContactsDto {
  @ApiProperty({ type: CommunityContactDto, isArray: true, minItems: 1, maxItems: MAX_COMMUNITY_CONTACTS })
  @IsDefined(REQUIRED)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_COMMUNITY_CONTACTS)
  @ValidateNested({ each: true })
  @Type(() => CommunityContactDto)
  contacts!: CommunityContactDto[];
}

export class ImportQuery {
  @ApiPropertyOptional({ description: 'Validate and report only; nothing is written', default: false })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}

// ---- views ----

export class ElderContactView {
  @ApiProperty() name!: string;
  @ApiProperty() relation!: string;
  @ApiProperty({ description: 'Masked' }) phone!: string;
}

export class ElderView {
  @ApiProperty({ example: 'E0000042' }) elderId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: GENDERS }) gender!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty({ example: '320106********123X' }) identityNumber!: string;
  @ApiProperty({ example: '138****5678' }) phone!: string;
  @ApiProperty() community!: string;
  @ApiProperty({ example: '鼓楼区宁海路…' }) address!: string;
  @ApiPropertyOptional({ type: CoordinatesDto, nullable: true }) home!: CoordinatesDto | null;
  @ApiProperty({ enum: LIVING_SITUATIONS }) livingSituation!: string;
  @ApiProperty({ enum: CARE_LEVELS }) careLevel!: string;
  @ApiProperty({ enum: HARDSHIP_FLAGS, isArray: true }) hardship!: string[];
  @ApiProperty({ type: ElderContactView, isArray: true }) emergencyContacts!: ElderContactView[];
  @ApiProperty() consentToServices!: boolean;
  @ApiProperty({ enum: ELDER_STATUSES }) status!: string;
  @ApiPropertyOptional({ enum: ELDER_INACTIVE_REASONS }) inactiveReason?: string;
  @ApiProperty() missedInARow!: number;
  @ApiProperty({ enum: ['form', 'import'] }) source!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class ElderPage {
  @ApiProperty({ type: ElderView, isArray: true }) items!: ElderView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}

export class CommunityContactsView {
  @ApiProperty() community!: string;
  @ApiProperty({ type: CommunityContactDto, isArray: true }) contacts!: CommunityContactDto[];
  @ApiPropertyOptional({ nullable: true }) updatedAt!: string | null;
}

export class ImportRejection {
  @ApiProperty({ description: '1-based data row number (the header excluded)' }) row!: number;
  @ApiProperty() field!: string;
  @ApiProperty() reason!: string;
}

export class ImportReport {
  @ApiProperty({ nullable: true, description: 'null for a dry run (nothing stored)' }) importId!:
    string | null;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty() rows!: number;
  @ApiProperty({ description: 'Elders imported (a dry run: that would be)' }) imported!: number;
  @ApiProperty({ type: ImportRejection, isArray: true }) rejected!: ImportRejection[];
  @ApiProperty({ type: String, isArray: true }) elderIds!: string[];
}
