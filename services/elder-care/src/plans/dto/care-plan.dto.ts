// What clients send and get for care plans, discharges and one-off visits; the shape is checked here, the plan's
// own rules (the field a rhythm's kind needs, dates in order, no item twice) in schedule.rules.ts.
import { CARE_PLAN_STATUSES, CARE_SERVICES, RHYTHM_KINDS, WEEKDAYS } from '@linli/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { VISIT_STATUSES } from '../../visits/visit.schema';

export const PLAN_LIMITS = { items: 20, timesPerDay: 6, everyDays: 366, hospital: 200, note: 2000 } as const;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const ITEM_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export class RhythmDto {
  @ApiProperty({ enum: RHYTHM_KINDS })
  @IsIn(RHYTHM_KINDS)
  kind!: (typeof RHYTHM_KINDS)[number];

  @ApiProperty({ type: [String], example: ['09:00'], description: 'Local times (Asia/Shanghai), HH:mm' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PLAN_LIMITS.timesPerDay)
  @ArrayUnique()
  @Matches(LOCAL_TIME, { each: true, message: 'each time must be a local time HH:mm' })
  times!: string[];

  @ApiPropertyOptional({ enum: WEEKDAYS, isArray: true, description: 'weekly only' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(WEEKDAYS, { each: true })
  weekdays?: (typeof WEEKDAYS)[number][];

  @ApiPropertyOptional({ description: 'interval only: every N days counted from startsOn' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(PLAN_LIMITS.everyDays)
  everyDays?: number;

  @ApiPropertyOptional({ type: [Number], description: 'monthly only; 31 is the last day of a shorter month' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(31, { each: true })
  daysOfMonth?: number[];
}

export class CarePlanItemDto {
  @ApiPropertyOptional({ description: 'Kept across versions; given by the service when absent' })
  @IsOptional()
  @Matches(ITEM_ID, { message: 'itemId must be an id (letters, digits, _ or -)' })
  itemId?: string;

  @ApiProperty({ enum: CARE_SERVICES })
  @IsIn(CARE_SERVICES)
  service!: (typeof CARE_SERVICES)[number];

  @ApiProperty({ type: RhythmDto })
  @ValidateNested()
  @Type(() => RhythmDto)
  rhythm!: RhythmDto;

  @ApiProperty({ example: '2025-01-01', description: 'First local date the item applies' })
  @Matches(LOCAL_DATE, { message: 'startsOn must be a date YYYY-MM-DD' })
  startsOn!: string;

  @ApiPropertyOptional({ example: '2025-12-31', description: 'Last local date the item applies' })
  @IsOptional()
  @Matches(LOCAL_DATE, { message: 'endsOn must be a date YYYY-MM-DD' })
  endsOn?: string;
}

export class PutCarePlanDto {
  @ApiProperty({ type: [CarePlanItemDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PLAN_LIMITS.items)
  @ValidateNested({ each: true })
  @Type(() => CarePlanItemDto)
  items!: CarePlanItemDto[];

  @ApiPropertyOptional({
    description: 'The version the change was made against: 409 if the plan moved since',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;
}

export class RecordDischargeDto {
  @ApiProperty({ example: '2025-01-20', description: 'Local date of the discharge' })
  @Matches(LOCAL_DATE, { message: 'dischargedOn must be a date YYYY-MM-DD' })
  dischargedOn!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(PLAN_LIMITS.hospital)
  hospital?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(PLAN_LIMITS.note)
  note?: string;
}

export class OneOffVisitDto {
  @ApiProperty({ enum: CARE_SERVICES })
  @IsIn(CARE_SERVICES)
  service!: (typeof CARE_SERVICES)[number];

  @ApiProperty({ description: 'When the visit is due (ISO-8601), in the future' })
  @IsISO8601({ strict: true })
  dueAt!: string;
}

export class ElderVisitsQuery {
  @ApiPropertyOptional({ description: 'Due at or after (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Due before (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ enum: VISIT_STATUSES })
  @IsOptional()
  @IsIn(VISIT_STATUSES)
  status?: (typeof VISIT_STATUSES)[number];
}

export class RhythmView {
  @ApiProperty({ enum: RHYTHM_KINDS }) kind!: string;
  @ApiProperty({ type: [String] }) times!: string[];
  @ApiPropertyOptional({ type: [String] }) weekdays?: string[];
  @ApiPropertyOptional() everyDays?: number;
  @ApiPropertyOptional({ type: [Number] }) daysOfMonth?: number[];
}

export class CarePlanItemView {
  @ApiProperty() itemId!: string;
  @ApiProperty({ enum: CARE_SERVICES }) service!: string;
  @ApiProperty({ type: RhythmView }) rhythm!: RhythmView;
  @ApiProperty() startsOn!: string;
  @ApiPropertyOptional() endsOn?: string;
}

export class CarePlanView {
  @ApiProperty({ example: 'PE0000042' }) carePlanId!: string;
  @ApiProperty() elderId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: CARE_PLAN_STATUSES }) status!: string;
  @ApiProperty({ type: [CarePlanItemView] }) items!: CarePlanItemView[];
  @ApiProperty() updatedAt!: string;
}

export class CarePlanVersionList {
  @ApiProperty({ type: [CarePlanView], description: 'Newest first' }) items!: CarePlanView[];
}

export class DischargeView {
  @ApiProperty() dischargeId!: string;
  @ApiProperty() elderId!: string;
  @ApiProperty() dischargedOn!: string;
  @ApiProperty() followUpVisitId!: string;
  @ApiProperty() followUpDueAt!: string;
}
