// What clients send and get for providers: validated at the edge (unknown fields → 400 naming the field).
import { CoordinatesDto, PageQueryDto, queryBoolean } from '@linli/platform';
import { PROVIDER_KINDS } from '@linli/contracts';
import { IsDivisionCode } from '@linli/divisions';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** Sizes of a provider's lists: a real provider has a handful of each; the bounds keep documents small. */
export const PROVIDER_LIMITS = {
  nameLength: 100,
  skills: 50,
  serviceAreas: 200,
  workingWindows: 21,
  minCapacity: 1,
  maxCapacity: 50,
} as const;

export const PROVIDER_ID_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;
export const SKILL_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;
const TIME_PATTERN = /^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/;
const CODE_PATTERN = /^[0-9]{2,12}$/;

export class WorkingWindowDto {
  @ApiProperty({ type: [Number], description: '1 Monday … 7 Sunday', example: [1, 2, 3, 4, 5] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  days!: number[];

  @ApiProperty({
    example: '08:00',
    description: 'Asia/Shanghai time; a window ending before it starts runs overnight',
  })
  @Matches(TIME_PATTERN, { message: 'from must be a time HH:MM' })
  from!: string;

  @ApiProperty({ example: '18:00' })
  @Matches(TIME_PATTERN, { message: 'to must be a time HH:MM' })
  to!: string;
}

/** Fields a supervisor may change; `available` is also the provider's own to change. */
export class UpdateProviderDto {
  @ApiPropertyOptional({ maxLength: PROVIDER_LIMITS.nameLength })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(PROVIDER_LIMITS.nameLength)
  name?: string;

  @ApiPropertyOptional({ type: [String], example: ['plumbing', 'electrical'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PROVIDER_LIMITS.skills)
  @ArrayUnique()
  @Matches(SKILL_PATTERN, { each: true, message: 'each skill must be a slug like plumbing' })
  skills?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Administrative codes (any level) of the places it serves',
    example: ['320106'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PROVIDER_LIMITS.serviceAreas)
  @ArrayUnique()
  @IsDivisionCode(undefined, { each: true })
  serviceAreas?: string[];

  @ApiPropertyOptional({ minimum: PROVIDER_LIMITS.minCapacity, maximum: PROVIDER_LIMITS.maxCapacity })
  @IsOptional()
  @IsInt()
  @Min(PROVIDER_LIMITS.minCapacity)
  @Max(PROVIDER_LIMITS.maxCapacity)
  capacity?: number;

  @ApiPropertyOptional({ type: [WorkingWindowDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PROVIDER_LIMITS.workingWindows)
  @ValidateNested({ each: true })
  @Type(() => WorkingWindowDto)
  workingHours?: WorkingWindowDto[];

  @ApiPropertyOptional({ type: CoordinatesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  location?: CoordinatesDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  available?: boolean;
}

export class CreateProviderDto {
  @ApiPropertyOptional({
    description: 'A readable slug id; generated when absent',
    example: 'gulou-plumbers',
  })
  @IsOptional()
  @Matches(PROVIDER_ID_PATTERN, {
    message: 'providerId must be a slug of 3 to 64 lowercase letters, digits, -',
  })
  providerId?: string;

  @ApiProperty({ maxLength: PROVIDER_LIMITS.nameLength })
  @IsString()
  @MinLength(1)
  @MaxLength(PROVIDER_LIMITS.nameLength)
  name!: string;

  @ApiProperty({ enum: PROVIDER_KINDS, description: 'Five-society kind (五社联动), or company' })
  @IsIn(PROVIDER_KINDS)
  kind!: string;

  @ApiProperty({ type: [String], example: ['plumbing'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PROVIDER_LIMITS.skills)
  @ArrayUnique()
  @Matches(SKILL_PATTERN, { each: true, message: 'each skill must be a slug like plumbing' })
  skills!: string[];

  @ApiProperty({ type: [String], example: ['320106'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PROVIDER_LIMITS.serviceAreas)
  @ArrayUnique()
  @IsDivisionCode(undefined, { each: true })
  serviceAreas!: string[];

  @ApiProperty({ minimum: PROVIDER_LIMITS.minCapacity, maximum: PROVIDER_LIMITS.maxCapacity })
  @IsInt()
  @Min(PROVIDER_LIMITS.minCapacity)
  @Max(PROVIDER_LIMITS.maxCapacity)
  capacity!: number;

  @ApiPropertyOptional({ type: [WorkingWindowDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PROVIDER_LIMITS.workingWindows)
  @ValidateNested({ each: true })
  @Type(() => WorkingWindowDto)
  workingHours?: WorkingWindowDto[];

  @ApiProperty()
  @IsBoolean()
  available!: boolean;

  @ApiPropertyOptional({ type: CoordinatesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  location?: CoordinatesDto;

  @ApiProperty({ description: "The provider's home area (a code of the tree)", example: '320106' })
  @IsDivisionCode()
  jurisdiction!: string;
}

export class ListProvidersQuery extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SKILL_PATTERN, { message: 'skill must be a slug like plumbing' })
  skill?: string;

  @ApiPropertyOptional({ description: 'A code: providers serving it or inside it' })
  @IsOptional()
  @Matches(CODE_PATTERN, { message: 'area must be an administrative code' })
  area?: string;

  @ApiPropertyOptional({ enum: PROVIDER_KINDS })
  @IsOptional()
  @IsIn(PROVIDER_KINDS)
  kind?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  available?: boolean;
}

export class ProviderView {
  @ApiProperty() providerId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PROVIDER_KINDS }) kind!: string;
  @ApiProperty({ type: [String] }) skills!: string[];
  @ApiProperty({ type: [String] }) serviceAreas!: string[];
  @ApiProperty() capacity!: number;
  @ApiPropertyOptional({ type: [WorkingWindowDto] }) workingHours?: WorkingWindowDto[];
  @ApiProperty() available!: boolean;
  @ApiPropertyOptional({ type: CoordinatesDto }) location?: CoordinatesDto;
  @ApiProperty() jurisdiction!: string;
  @ApiProperty({ description: 'Jobs it holds now (accepted or started)' }) load!: number;
  @ApiProperty({ description: 'Share of its recent offers it accepted (smoothed)' }) acceptanceRate!: number;
}

export class ProviderPage {
  @ApiProperty({ type: [ProviderView] }) items!: ProviderView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
