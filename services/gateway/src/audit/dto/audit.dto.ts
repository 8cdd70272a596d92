// GET /audit's query and the entries it answers with; GET /audit/verify's verdict.
import { AUDIT_ACTIONS } from '@linli/contracts';
import { PageQueryDto } from '@linli/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsIn, IsOptional, Matches } from 'class-validator';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export class AuditQuery extends PageQueryDto {
  @ApiPropertyOptional({ description: 'User or API-client id of who acted' })
  @IsOptional()
  @Matches(ID)
  actorId?: string;

  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: string;

  @ApiPropertyOptional({ description: 'ticket, elder, job, user…' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/)
  resourceType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ID)
  resourceId?: string;

  @ApiPropertyOptional({ description: 'From this time (ISO 8601), inclusive' })
  @IsOptional()
  @IsDateString({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Up to this time (ISO 8601), inclusive' })
  @IsOptional()
  @IsDateString({ strict: true })
  to?: string;
}

export class AuditEntryView {
  @ApiProperty({ description: 'Position in the chain (1, 2, …)' })
  seq!: number;

  @ApiProperty()
  prevHash!: string;

  @ApiProperty({ description: 'sha256(prevHash + canonical JSON of the record + seq)' })
  hash!: string;

  @ApiProperty({
    description:
      'The audit.recorded record: auditId, service, at, jurisdiction, actorId, actorRoles, actorJurisdiction, ' +
      'action, outcome, resource, fields, clientIp, correlationId, operation',
  })
  record!: Record<string, unknown>;
}

export class AuditPage {
  @ApiProperty({ type: [AuditEntryView] })
  items!: AuditEntryView[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  page!: number;

  @ApiProperty()
  pageSize!: number;
}

export class AuditVerdictView {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ description: 'Entries checked and found sound' })
  entries!: number;

  @ApiPropertyOptional({ description: 'The first entry whose chain is broken' })
  firstBrokenSeq?: number;

  @ApiPropertyOptional()
  reason?: string;
}
