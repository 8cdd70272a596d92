// HTTP for follow-up visits after an agreement: the worklist of those due, and the record of a visit.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CaseView } from '../cases/dto/case.dto';
import { DueFollowUpPage, DueFollowUpsQuery, RecordFollowUpDto } from './dto/follow-up.dto';
import { FollowUpsService } from './follow-ups.service';

@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller()
@Roles('mediator', 'supervisor', 'admin')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get('follow-ups/due')
  @ApiOkResponse({
    type: DueFollowUpPage,
    description: 'Due or overdue, not recorded, earliest first: a mediator’s cases, or the jurisdiction’s',
  })
  due(@Query() query: DueFollowUpsQuery, @CurrentActor() actor: Actor): Promise<DueFollowUpPage> {
    return this.followUps.listDue(query, actor);
  }

  @Post('cases/:caseId/follow-ups/:followUpId')
  @HttpCode(200)
  @ApiOkResponse({
    type: CaseView,
    description: 'Each term kept or not; continue, close, reopen or refer',
  })
  record(
    @Param('caseId') caseId: string,
    @Param('followUpId') followUpId: string,
    @Body() body: RecordFollowUpDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return this.followUps.record(caseId, followUpId, actor, body);
  }
}
