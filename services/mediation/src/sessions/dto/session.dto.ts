// What clients send and get for a case's sessions and its outcome: commands validated at the edge (sizes from the
// configuration), and the views documented for OpenAPI.
import { FOLLOW_UP_PLANS, MEDIATION_OUTCOMES, REFERRAL_TARGETS } from '@linli/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
import { config } from '../../config';

export const SESSION_LIMITS = { place: 200, reason: 1_000, term: 1_000 } as const;
const PARTY_ID = /^P[1-9][0-9]{0,3}$/;

export class ScheduleSessionDto {
  @ApiProperty({
    description: 'When (ISO 8601 date-time, in the future)',
    example: '2026-03-05T09:30:00+08:00',
  })
  @IsISO8601({ strict: true, strictSeparator: true })
  scheduledFor!: string;

  @ApiProperty({ minLength: 1, maxLength: SESSION_LIMITS.place, example: '宁海路街道调解室' })
  @IsString()
  @MinLength(1)
  @MaxLength(SESSION_LIMITS.place)
  place!: string;
}

export class RescheduleSessionDto {
  @ApiProperty({ description: 'The new time (ISO 8601 date-time, in the future)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  scheduledFor!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: SESSION_LIMITS.place })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(SESSION_LIMITS.place)
  place?: string;
}

export class AttendanceDto {
  @ApiProperty({ example: 'P1' })
  @Matches(PARTY_ID, { message: 'partyId must be a party id (P1, P2…)' })
  partyId!: string;

  @ApiProperty()
  @IsBoolean()
  present!: boolean;
}

export class RecordSessionDto {
  @ApiProperty({
    type: [AttendanceDto],
    description: 'Each party of the case once',
    maxItems: config.MAX_PARTIES,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(config.MAX_PARTIES)
  @ValidateNested({ each: true })
  @Type(() => AttendanceDto)
  attendance!: AttendanceDto[];

  @ApiProperty({ minLength: 1, maxLength: config.TEXT_MAX_LENGTH, description: 'Personal data' })
  @IsString()
  @MinLength(1)
  @MaxLength(config.TEXT_MAX_LENGTH)
  minutes!: string;
}

export class AgreementTermDto {
  @ApiProperty({ minLength: 1, maxLength: SESSION_LIMITS.term })
  @IsString()
  @MinLength(1)
  @MaxLength(SESSION_LIMITS.term)
  text!: string;

  @ApiProperty({ description: 'YYYY-MM-DD, today or later (China date)', example: '2026-04-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date YYYY-MM-DD' })
  dueDate!: string;
}

export class AgreementDto {
  @ApiProperty({ minLength: 1, maxLength: config.TEXT_MAX_LENGTH, description: 'Personal data' })
  @IsString()
  @MinLength(1)
  @MaxLength(config.TEXT_MAX_LENGTH)
  text!: string;

  @ApiProperty({ type: [AgreementTermDto], minItems: 1, maxItems: config.MAX_TERMS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(config.MAX_TERMS)
  @ValidateNested({ each: true })
  @Type(() => AgreementTermDto)
  terms!: AgreementTermDto[];

  @ApiPropertyOptional({
    enum: FOLLOW_UP_PLANS,
    default: 'after-period',
    description: 'after-period: one visit FOLLOW_UP_AFTER_MS later; per-term: one at each due date, 10:00',
  })
  @IsOptional()
  @IsIn(FOLLOW_UP_PLANS)
  followUpPlan?: (typeof FOLLOW_UP_PLANS)[number];
}

export class RecordOutcomeDto {
  @ApiProperty({ enum: MEDIATION_OUTCOMES })
  @IsIn(MEDIATION_OUTCOMES)
  kind!: (typeof MEDIATION_OUTCOMES)[number];

  @ApiProperty({ minLength: 1, maxLength: SESSION_LIMITS.reason })
  @IsString()
  @MinLength(1)
  @MaxLength(SESSION_LIMITS.reason)
  reason!: string;

  @ApiPropertyOptional({ type: AgreementDto, description: 'Required when kind is agreement, else absent' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AgreementDto)
  agreement?: AgreementDto;

  @ApiPropertyOptional({ enum: REFERRAL_TARGETS, description: 'Required when kind is referred, else absent' })
  @IsOptional()
  @IsIn(REFERRAL_TARGETS)
  referredTo?: (typeof REFERRAL_TARGETS)[number];
}

export class SessionReminderView {
  @ApiProperty() leadMinutes!: number;
  @ApiProperty() dueAt!: string;
  @ApiProperty({ enum: ['pending', 'sent', 'cancelled'] }) status!: string;
  @ApiPropertyOptional() sentAt?: string;
}

export class AttendanceView {
  @ApiProperty() partyId!: string;
  @ApiProperty() present!: boolean;
}

export class SessionView {
  @ApiProperty() caseId!: string;
  @ApiProperty({ description: 'The case’s version after the change' }) version!: number;
  @ApiProperty({ description: 'The case’s status after the change' }) caseStatus!: string;
  @ApiProperty() sessionId!: string;
  @ApiProperty() scheduledFor!: string;
  @ApiProperty() place!: string;
  @ApiProperty({ enum: ['scheduled', 'held', 'cancelled'] }) status!: string;
  @ApiProperty({ description: 'Times it was moved' }) rescheduled!: number;
  @ApiProperty({ type: [SessionReminderView] }) reminders!: SessionReminderView[];
  @ApiPropertyOptional({ type: [AttendanceView] }) attendance?: AttendanceView[];
  @ApiPropertyOptional({ description: 'Personal data' }) minutes?: string;
  @ApiPropertyOptional() heldAt?: string;
}
