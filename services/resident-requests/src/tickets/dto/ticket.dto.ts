// What operators send: commands validated at the edge (unknown fields, wrong types and out-of-range values are a
import { CoordinatesDto, IsPhoneNumber, queryBoolean } from '@linli/platform';
// 400 naming the field before anything is read or written). The service checks again what Open311 also goes through.
import {
  CATEGORIES,
  TICKET_CANCEL_REASONS,
  TICKET_CHANNELS,
  TICKET_PRIORITIES,
  TICKET_REOPEN_REASONS,
  TICKET_RESOLUTIONS,
} from '@linli/contracts';
import { IsDivisionCode } from '@linli/divisions';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { config } from '../../config';
import { ADDRESS_MAX_LENGTH, NAME_MAX_LENGTH, TICKET_STATUSES, VULNERABLE_GROUPS } from '../ticket.rules';

/** Longest free text of an operator's note or reason, and of a resident's comment at the call-back. */
export const NOTE_MAX_LENGTH = 1000;

export class ReporterDto {
  @ApiPropertyOptional({
    maxLength: NAME_MAX_LENGTH,
    description: 'Required except on channels open311 and visit',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional({
    example: '13912345678',
    description: 'Mainland mobile or landline; required except on channels open311 and visit',
  })
  @IsOptional()
  @IsString()
  @IsPhoneNumber()
  phone?: string;

  @ApiPropertyOptional({ enum: VULNERABLE_GROUPS, isArray: true })
  @IsOptional()
  @ArrayMaxSize(VULNERABLE_GROUPS.length)
  @IsIn(VULNERABLE_GROUPS, { each: true })
  vulnerable?: string[];
}

export class PlaceDto {
  @ApiProperty({ example: '320106001003', description: '12-digit community code of the administrative tree' })
  @IsString()
  @IsDivisionCode(['community'])
  communityCode!: string;

  @ApiProperty({ maxLength: ADDRESS_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(ADDRESS_MAX_LENGTH)
  address!: string;

  @ApiPropertyOptional({ type: CoordinatesDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  location?: CoordinatesDto;
}

export class CreateTicketDto {
  @ApiProperty({ enum: TICKET_CHANNELS })
  @IsIn(TICKET_CHANNELS)
  channel!: (typeof TICKET_CHANNELS)[number];

  @ApiProperty({ enum: CATEGORIES })
  @IsIn(CATEGORIES)
  category!: string;

  @ApiProperty({ maxLength: config.DESCRIPTION_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(config.DESCRIPTION_MAX_LENGTH)
  description!: string;

  @ApiProperty({ type: ReporterDto, description: 'Optional only on channels open311 and visit' })
  @ValidateIf(
    (o: CreateTicketDto) => (o.channel !== 'open311' && o.channel !== 'visit') || o.reporter !== undefined,
  )
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ReporterDto)
  reporter?: ReporterDto;

  @ApiProperty({ type: PlaceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PlaceDto)
  place!: PlaceDto;

  @ApiPropertyOptional({ description: 'The elder-care visit (走访) whose finding this is' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/)
  sourceVisitId?: string;
}

export class ReprioritiseDto {
  @ApiProperty({ enum: TICKET_PRIORITIES })
  @IsIn(TICKET_PRIORITIES)
  priority!: (typeof TICKET_PRIORITIES)[number];

  @ApiProperty({ maxLength: NOTE_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(NOTE_MAX_LENGTH)
  reason!: string;
}

export class CancelTicketDto {
  @ApiProperty({ enum: TICKET_CANCEL_REASONS })
  @IsIn(TICKET_CANCEL_REASONS)
  reason!: (typeof TICKET_CANCEL_REASONS)[number];

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string;
}

export class ReopenTicketDto {
  @ApiProperty({ enum: TICKET_REOPEN_REASONS })
  @IsIn(TICKET_REOPEN_REASONS)
  reason!: (typeof TICKET_REOPEN_REASONS)[number];

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string;
}

export class ResolveTicketDto {
  @ApiProperty({ enum: TICKET_RESOLUTIONS })
  @IsIn(TICKET_RESOLUTIONS)
  resolution!: (typeof TICKET_RESOLUTIONS)[number];

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  note?: string;
}

export class RecordCallbackDto {
  @ApiProperty({ description: 'Did the resident answer the call-back (回访)?' })
  @IsBoolean()
  answered!: boolean;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 5,
    description: 'Required when answered: 1 very dissatisfied … 5',
  })
  @ValidateIf((o: RecordCallbackDto) => o.answered === true || o.satisfaction !== undefined)
  @IsInt()
  @Min(1)
  @Max(5)
  satisfaction?: number;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(NOTE_MAX_LENGTH)
  comment?: string;
}

/** `a,b` and `?x=a&x=b` both give a list. */
const toList = ({ value }: { value: unknown }) =>
  value === undefined
    ? undefined
    : (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).filter((v) => v !== '');

export class ListTicketsQuery {
  @ApiPropertyOptional({ enum: TICKET_STATUSES, isArray: true, description: 'Comma-separated or repeated' })
  @IsOptional()
  @Transform(toList)
  @ArrayMaxSize(TICKET_STATUSES.length)
  @IsIn(TICKET_STATUSES, { each: true })
  status?: (typeof TICKET_STATUSES)[number][];

  @ApiPropertyOptional({ enum: CATEGORIES, isArray: true })
  @IsOptional()
  @Transform(toList)
  @ArrayMaxSize(CATEGORIES.length)
  @IsIn(CATEGORIES, { each: true })
  category?: string[];

  @ApiPropertyOptional({ enum: TICKET_CHANNELS, isArray: true })
  @IsOptional()
  @Transform(toList)
  @ArrayMaxSize(TICKET_CHANNELS.length)
  @IsIn(TICKET_CHANNELS, { each: true })
  channel?: (typeof TICKET_CHANNELS)[number][];

  @ApiPropertyOptional({ description: 'Community code prefix (a street, a district…)', example: '320106001' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{2,12}$/)
  community?: string;

  @ApiPropertyOptional({
    description: 'Only tickets that missed (true) or kept (false) their service levels',
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  breached?: boolean;

  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: config.MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(config.MAX_PAGE_SIZE)
  pageSize?: number;
}

export class CallbacksQuery {
  @ApiPropertyOptional({ example: '2026-11-29', description: 'Day in China (Asia/Shanghai); default today' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  date?: string;
}

export class OpenByPhoneQuery {
  @ApiProperty({ example: '13912345678', description: "The reporter's phone, mainland mobile or landline" })
  @IsString()
  @IsPhoneNumber()
  phone!: string;
}
