// What clients send and get for visits: commands validated at the edge, and the visit view documented for OpenAPI.
import { CARE_SERVICES, CATEGORIES, PROVIDER_KINDS, VISIT_OBSERVATIONS } from '@linli/contracts';
import { CoordinatesDto, PageQueryDto, queryBoolean } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { VISIT_DOCUMENT_SOURCES, VISIT_STATUSES } from '../visit.schema';

export const VISIT_LIMITS = { notes: 2000, summary: 500, findings: 10, itemsDone: 8 } as const;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class ListVisitsQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Administrative code prefix (a district, a street, a community)' })
  @IsOptional()
  @Matches(/^[0-9]{2,12}$/, { message: 'community must be an administrative code or a prefix of one' })
  community?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID, { message: 'elderId must be an id' })
  elderId?: string;

  @ApiPropertyOptional({ enum: VISIT_STATUSES })
  @IsOptional()
  @IsIn(VISIT_STATUSES)
  status?: (typeof VISIT_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Due at or after (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Due before (ISO-8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Only visits whose job nobody took (a supervisor must find someone)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  unassigned?: boolean;

  @ApiPropertyOptional({ description: 'Only the visits the calling provider holds (implied for providers)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  mine?: boolean;
}

export class CheckInDto {
  @ApiPropertyOptional({
    description: 'When (ISO-8601); default now. Not in the future, not before the dispatch',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ type: CoordinatesDto, description: 'Where the caregiver checked in' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  coordinates?: CoordinatesDto;
}

export class FindingDto {
  @ApiProperty({ enum: CATEGORIES, description: 'The ticket catalogue’s category of the need' })
  @IsIn(CATEGORIES)
  category!: (typeof CATEGORIES)[number];

  @ApiProperty({ minLength: 1, maxLength: VISIT_LIMITS.summary })
  @IsString()
  @MinLength(1)
  @MaxLength(VISIT_LIMITS.summary)
  summary!: string;
}

export class CheckOutDto {
  @ApiProperty({ enum: CARE_SERVICES, isArray: true, minItems: 1, maxItems: VISIT_LIMITS.itemsDone })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(VISIT_LIMITS.itemsDone)
  @ArrayUnique()
  @IsIn(CARE_SERVICES, { each: true })
  itemsDone!: (typeof CARE_SERVICES)[number][];

  @ApiProperty({ enum: VISIT_OBSERVATIONS, description: 'How the elder was found' })
  @IsIn(VISIT_OBSERVATIONS)
  observation!: (typeof VISIT_OBSERVATIONS)[number];

  @ApiPropertyOptional({ maxLength: VISIT_LIMITS.notes })
  @IsOptional()
  @IsString()
  @MaxLength(VISIT_LIMITS.notes)
  notes?: string;

  @ApiPropertyOptional({
    type: [FindingDto],
    maxItems: VISIT_LIMITS.findings,
    description: 'Needs discovered',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(VISIT_LIMITS.findings)
  @ValidateNested({ each: true })
  @Type(() => FindingDto)
  findings?: FindingDto[];
}

export class VisitProviderView {
  @ApiProperty() providerId!: string;
  @ApiProperty({ enum: PROVIDER_KINDS }) providerKind!: string;
  @ApiProperty() acceptedAt!: string;
}

export class CheckInView {
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ type: CoordinatesDto }) coordinates?: CoordinatesDto;
  @ApiPropertyOptional({ description: 'Metres from the elder’s home' }) distanceM?: number;
  @ApiProperty() farFromHome!: boolean;
}

export class CheckOutView {
  @ApiProperty() at!: string;
  @ApiProperty({ enum: CARE_SERVICES, isArray: true }) itemsDone!: string[];
  @ApiProperty({ enum: VISIT_OBSERVATIONS }) observation!: string;
  @ApiPropertyOptional() notes?: string;
}

export class FindingView {
  @ApiProperty() findingId!: string;
  @ApiProperty({ enum: ['concern', 'urgent'] }) observation!: string;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty() summary!: string;
}

export class MissView {
  @ApiProperty() attempt!: number;
  @ApiProperty() at!: string;
  @ApiPropertyOptional() providerId?: string;
}

export class VisitView {
  @ApiProperty() visitId!: string;
  @ApiProperty() elderId!: string;
  @ApiProperty({ description: 'The elder’s community code' }) community!: string;
  @ApiProperty({ enum: VISIT_DOCUMENT_SOURCES }) source!: string;
  @ApiPropertyOptional() carePlanId?: string;
  @ApiProperty({ enum: CARE_SERVICES }) service!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ description: 'No check-in by then: missed' }) missedAfter!: string;
  @ApiProperty({ enum: VISIT_STATUSES }) status!: string;
  @ApiProperty({ description: 'Dispatches so far' }) attempt!: number;
  @ApiPropertyOptional() jobId?: string;
  @ApiPropertyOptional({ type: VisitProviderView }) provider?: VisitProviderView;
  @ApiProperty({ description: 'Nobody took the current job' }) unassigned!: boolean;
  @ApiPropertyOptional({ type: CheckInView }) checkIn?: CheckInView;
  @ApiPropertyOptional({ type: CheckOutView }) checkOut?: CheckOutView;
  @ApiProperty({ type: [FindingView] }) findings!: FindingView[];
  @ApiProperty({ type: [MissView] }) misses!: MissView[];
  @ApiPropertyOptional() cancelReason?: string;
  @ApiProperty() version!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class VisitPage {
  @ApiProperty({ type: [VisitView] }) items!: VisitView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class EmergencyContactView {
  @ApiProperty() name!: string;
  @ApiProperty() relation!: string;
  @ApiProperty() phone!: string;
}

export class VisitContactView {
  @ApiProperty() elderId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() phone!: string;
  @ApiProperty() address!: string;
  @ApiPropertyOptional({ type: CoordinatesDto }) home?: CoordinatesDto;
  @ApiProperty({ type: [EmergencyContactView] }) emergencyContacts!: EmergencyContactView[];
}
