// What clients send and get for follow-up visits: the visit's record validated at the edge, and the worklist of
// follow-ups due.
import { REFERRAL_TARGETS } from '@linli/contracts';
import { PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { config } from '../../config';

export const FOLLOW_UP_LIMITS = { note: 1_000 } as const;

export class FollowUpTermDto {
  @ApiProperty({ example: 'T1' })
  @Matches(/^T[1-9][0-9]{0,4}$/, { message: 'termId must be a term id (T1, T2…)' })
  termId!: string;

  @ApiProperty()
  @IsBoolean()
  kept!: boolean;

  @ApiPropertyOptional({ maxLength: FOLLOW_UP_LIMITS.note })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(FOLLOW_UP_LIMITS.note)
  note?: string;
}

export class RecordFollowUpDto {
  @ApiProperty({ type: [FollowUpTermDto], description: 'Exactly the follow-up’s terms, each once' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(config.MAX_TERMS)
  @ValidateNested({ each: true })
  @Type(() => FollowUpTermDto)
  terms!: FollowUpTermDto[];

  @ApiPropertyOptional({ maxLength: FOLLOW_UP_LIMITS.note, description: 'Personal data' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(FOLLOW_UP_LIMITS.note)
  note?: string;

  @ApiPropertyOptional({
    enum: ['reopen', 'refer'],
    description: 'Required when a term was not kept: reopen mediation, or refer the case upward',
  })
  @IsOptional()
  @IsIn(['reopen', 'refer'])
  ifNotKept?: 'reopen' | 'refer';

  @ApiPropertyOptional({ enum: REFERRAL_TARGETS, description: 'Required when ifNotKept is refer' })
  @IsOptional()
  @IsIn(REFERRAL_TARGETS)
  referredTo?: (typeof REFERRAL_TARGETS)[number];
}

export class DueFollowUpsQuery extends PageQueryDto {}

export class DueFollowUpView {
  @ApiProperty() caseId!: string;
  @ApiProperty() followUpId!: string;
  @ApiProperty() dueAt!: string;
  @ApiProperty({
    enum: ['scheduled', 'due'],
    description: 'due: its timer fired; scheduled: past its time, its timer not fired yet',
  })
  status!: string;
  @ApiProperty({ type: [String] }) termIds!: string[];
  @ApiPropertyOptional() mediatorId?: string;
  @ApiProperty() communityCode!: string;
}

export class DueFollowUpPage {
  @ApiProperty({ type: [DueFollowUpView] }) items!: DueFollowUpView[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
