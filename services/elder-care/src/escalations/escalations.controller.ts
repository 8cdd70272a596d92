// HTTP for escalations: the supervisors' worklist with the people to call, and its acknowledgement.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AcknowledgeEscalationDto,
  EscalationList,
  EscalationView,
  ListEscalationsQuery,
} from './dto/escalation.dto';
import { EscalationsService } from './escalations.service';

@ApiTags('escalations')
@ApiBearerAuth()
@Controller('escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get()
  @Roles('supervisor', 'admin', 'coordinator')
  @ApiOkResponse({ type: EscalationList, description: 'Newest first, within the caller’s jurisdiction' })
  list(@Query() query: ListEscalationsQuery, @CurrentActor() actor: Actor): Promise<EscalationList> {
    return this.escalations.list(query, actor);
  }

  @Post(':escalationId/acknowledge')
  @HttpCode(200)
  @Roles('supervisor', 'admin', 'coordinator')
  @ApiOkResponse({ type: EscalationView })
  acknowledge(
    @Param('escalationId') escalationId: string,
    @Body() body: AcknowledgeEscalationDto,
    @CurrentActor() actor: Actor,
  ): Promise<EscalationView> {
    return this.escalations.acknowledge(escalationId, actor, body?.note);
  }
}
