// What clients send and get for jobs: commands validated at the edge, and the job view documented for OpenAPI.
import {
  CATEGORIES,
  JOB_DECLINE_REASONS,
  JOB_OUTCOMES,
  JOB_PRIORITIES,
  PROVIDER_KINDS,
} from '@linli/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { CoordinatesDto, PageQueryDto, queryBoolean } from '@linli/platform';
import { JOB_STATUSES, OFFER_STATUSES } from '../job.rules';

/** Longest free text a provider or supervisor writes on a job. */
export const JOB_TEXT_LIMITS = { note: 500, notes: 2000, workDone: 2000, reason: 500 } as const;

export const MINE_STATUSES = ['accepted', 'started', 'completed'] as const;

export class DeclineJobDto {
  @ApiProperty({ enum: JOB_DECLINE_REASONS })
  @IsIn(JOB_DECLINE_REASONS)
  reason!: (typeof JOB_DECLINE_REASONS)[number];

  @ApiPropertyOptional({ maxLength: JOB_TEXT_LIMITS.note })
  @IsOptional()
  @IsString()
  @MaxLength(JOB_TEXT_LIMITS.note)
  note?: string;
}

export class StartJobDto {
  @ApiPropertyOptional({ type: CoordinatesDto, description: 'Where the provider checked in' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CoordinatesDto)
  location?: CoordinatesDto;
}

export class CompleteJobDto {
  @ApiProperty({ enum: JOB_OUTCOMES })
  @IsIn(JOB_OUTCOMES)
  outcome!: (typeof JOB_OUTCOMES)[number];

  @ApiPropertyOptional({ maxLength: JOB_TEXT_LIMITS.notes })
  @IsOptional()
  @IsString()
  @MaxLength(JOB_TEXT_LIMITS.notes)
  notes?: string;

  @ApiPropertyOptional({ maxLength: JOB_TEXT_LIMITS.workDone, description: 'What was done' })
  @IsOptional()
  @IsString()
  @MaxLength(JOB_TEXT_LIMITS.workDone)
  workDone?: string;
}

export class CancelJobDto {
  @ApiProperty({
    maxLength: JOB_TEXT_LIMITS.reason,
    description: 'Why; origin-cancelled, origin-resolved or manual, or a sentence (recorded as manual)',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(JOB_TEXT_LIMITS.reason)
  reason!: string;
}

export class ListJobsQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: (typeof JOB_STATUSES)[number];

  @ApiPropertyOptional({ enum: CATEGORIES })
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{1,39}$/, { message: 'skill must be a slug like plumbing' })
  skill?: string;

  @ApiPropertyOptional({ description: 'Administrative code prefix' })
  @IsOptional()
  @Matches(/^[0-9]{2,12}$/, { message: 'area must be an administrative code' })
  area?: string;

  @ApiPropertyOptional({ description: 'Only jobs waiting for a supervisor (nobody left to offer them to)' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  escalated?: boolean;

  @ApiPropertyOptional({ description: 'The requesting aggregate id (a ticket, a visit…)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, { message: 'origin must be an id' })
  origin?: string;
}

export class MineQuery {
  @ApiPropertyOptional({ enum: MINE_STATUSES, description: 'Default: the jobs held now (accepted, started)' })
  @IsOptional()
  @IsIn(MINE_STATUSES)
  status?: (typeof MINE_STATUSES)[number];
}

export class OriginView {
  @ApiProperty() service!: string;
  @ApiProperty() aggregateId!: string;
}

export class OfferView {
  @ApiProperty() offerId!: string;
  @ApiProperty() providerId!: string;
  @ApiProperty({ enum: OFFER_STATUSES }) status!: string;
  @ApiProperty() round!: number;
  @ApiProperty() expiresAt!: string;
}

export class MyOfferView {
  @ApiProperty() offerId!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty() round!: number;
}

export class TimelineView {
  @ApiProperty() at!: string;
  @ApiProperty({ description: 'requested, offered, accepted, declined, expired, escalated, reoffered, …' })
  type!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiPropertyOptional() actorId?: string;
  @ApiPropertyOptional() providerId?: string;
  @ApiPropertyOptional() note?: string;
}

export class JobView {
  @ApiProperty() jobId!: string;
  @ApiProperty({ enum: JOB_STATUSES }) status!: string;
  @ApiProperty({ type: OriginView }) origin!: OriginView;
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty() skill!: string;
  @ApiProperty({ enum: JOB_PRIORITIES }) priority!: string;
  @ApiProperty({ description: 'Administrative code of the place' }) jurisdiction!: string;
  @ApiPropertyOptional({ description: 'Name of that place (the community) in the administrative tree' })
  communityName?: string;
  @ApiPropertyOptional() dueBy?: string;
  @ApiPropertyOptional() providerId?: string;
  @ApiPropertyOptional({ enum: PROVIDER_KINDS }) providerKind?: string;
  @ApiProperty({ description: 'Rounds of offers so far' }) round!: number;
  @ApiPropertyOptional({
    type: [String],
    description: 'Providers the requester ruled out, never offered it (supervisors and coordinators only)',
  })
  excludedProviderIds?: string[];
  @ApiPropertyOptional({ type: [OfferView], description: 'Every offer (supervisors and coordinators only)' })
  offers?: OfferView[];
  @ApiPropertyOptional({ type: MyOfferView, description: "The caller's open offer (providers)" })
  offer?: MyOfferView;
  @ApiProperty({ description: 'Waiting for a supervisor: nobody was left to offer it to' })
  escalated!: boolean;
  @ApiPropertyOptional() startedAt?: string;
  @ApiPropertyOptional() completedAt?: string;
  @ApiPropertyOptional({ enum: JOB_OUTCOMES }) outcome?: string;
  @ApiPropertyOptional() notes?: string;
  @ApiPropertyOptional() workDone?: string;
  @ApiProperty({ type: [TimelineView] }) timeline!: TimelineView[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class JobList {
  @ApiProperty({ type: [JobView] }) items!: JobView[];
}

export class JobPage extends JobList {
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
