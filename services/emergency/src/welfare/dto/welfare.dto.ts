// What clients send for welfare checks (the board's query, a result) and the views they get back; validated at
// the edge, every text bounded.
import { PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  WELFARE_CHECK_STATUSES,
  WELFARE_JOB_STATUSES,
  WELFARE_RESULTS,
  type WelfareCheckStatus,
  type WelfareJobStatus,
  type WelfareResult,
} from '../welfare.rules';

export const WELFARE_NOTE_MAX_LENGTH = 1000;
const REQUIRED = { message: '$property is required' };

export class WelfareBoardQuery extends PageQueryDto {
  @ApiPropertyOptional({ enum: WELFARE_CHECK_STATUSES })
  @IsOptional()
  @IsIn(WELFARE_CHECK_STATUSES)
  status?: WelfareCheckStatus;
}

export class RecordResultDto {
  @ApiProperty({ enum: WELFARE_RESULTS })
  @IsDefined(REQUIRED)
  @IsIn(WELFARE_RESULTS)
  result!: WelfareResult;

  @ApiPropertyOptional({ maxLength: WELFARE_NOTE_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(WELFARE_NOTE_MAX_LENGTH)
  note?: string;
}

export class WelfareCheckView {
  @ApiProperty({ example: 'I20261129-000001-W-E000123' }) checkId!: string;
  @ApiProperty() incidentId!: string;
  @ApiProperty() elderId!: string;
  @ApiProperty({ description: 'The 12-digit community the elder lives in' }) community!: string;
  @ApiProperty({ enum: WELFARE_CHECK_STATUSES }) status!: WelfareCheckStatus;
  @ApiProperty({ description: 'The dispatch job (the same id as the check)' }) jobId!: string;
  @ApiProperty({ enum: WELFARE_JOB_STATUSES }) jobStatus!: WelfareJobStatus;
  @ApiPropertyOptional({ description: 'The provider holding the job' }) providerId?: string;
  @ApiPropertyOptional({ enum: WELFARE_RESULTS }) result?: WelfareResult;
  @ApiPropertyOptional() note?: string;
  @ApiPropertyOptional({ description: 'Who recorded the result' }) recordedBy?: string;
  @ApiProperty({ description: 'When the job was requested' }) requestedAt!: string;
  @ApiProperty({ description: 'The latest change: the result recorded, or the job moved' }) at!: string;
  @ApiProperty() version!: number;
}

export class WelfareBoardCounts {
  @ApiProperty() pending!: number;
  @ApiProperty() checkedSafe!: number;
  @ApiProperty() needsHelp!: number;
  @ApiProperty() unreachable!: number;
}

export class WelfareBoardView {
  @ApiProperty() incidentId!: string;
  @ApiProperty({ type: WelfareBoardCounts }) counts!: WelfareBoardCounts;
  @ApiProperty({ type: [WelfareCheckView] }) items!: WelfareCheckView[];
  @ApiProperty({ description: 'Checks matching the status filter' }) total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
