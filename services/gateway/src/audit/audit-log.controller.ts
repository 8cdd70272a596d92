// GET /audit and GET /audit/verify. The log is append-only: there is no route that changes or removes an entry.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuditLogService } from './audit-log.service';
import { AuditPage, AuditQuery, AuditVerdictView } from './dto/audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditLogController {
  constructor(private readonly audit: AuditLogService) {}

  /** Newest first; only records whose jurisdiction lies within the caller's. */
  @Get()
  @Roles('auditor', 'supervisor', 'admin')
  @ApiOkResponse({ type: AuditPage })
  list(@Query() query: AuditQuery, @CurrentActor() actor: Actor): Promise<AuditPage> {
    return this.audit.list(actor, query);
  }

  /** Walks the whole chain; `ok: false` names the first broken entry and why. */
  @Get('verify')
  @Roles('auditor', 'admin')
  @ApiOkResponse({ type: AuditVerdictView })
  verify(): Promise<AuditVerdictView> {
    return this.audit.verify();
  }
}
