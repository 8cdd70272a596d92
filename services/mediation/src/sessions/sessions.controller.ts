// HTTP for a case's sessions and its outcome: DTOs in, views out. The mediator holding the case, supervisors and
// admins (the service checks the holding; the scope keeps other jurisdictions' cases a 404).
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { idempotencyRecord } from '@linli/persistence';
import { ApiIdempotencyKey, IdempotencyKey, type IdempotentRequest } from '@linli/platform';
import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CaseView } from '../cases/dto/case.dto';
import {
  RecordOutcomeDto,
  RecordSessionDto,
  RescheduleSessionDto,
  ScheduleSessionDto,
  SessionView,
} from './dto/session.dto';
import { OutcomesService } from './outcomes.service';
import { SessionsService } from './sessions.service';

@ApiTags('sessions')
@ApiBearerAuth()
@Controller('cases/:caseId')
@Roles('mediator', 'supervisor', 'admin')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly outcomes: OutcomesService,
  ) {}

  @Post('sessions')
  @ApiCreatedResponse({ type: SessionView, description: 'Needs two parties; sets the reminders before it' })
  @ApiIdempotencyKey()
  schedule(
    @Param('caseId') caseId: string,
    @Body() body: ScheduleSessionDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: IdempotentRequest | undefined,
  ): Promise<SessionView> {
    const idempotency = idempotencyRecord(idempotencyKey, actor.userId, 'sessions.schedule');
    return this.sessions.schedule(caseId, actor, body, idempotency);
  }

  @Put('sessions/:sessionId')
  @ApiOkResponse({ type: SessionView, description: 'Moves a scheduled session and its reminders' })
  reschedule(
    @Param('caseId') caseId: string,
    @Param('sessionId') sessionId: string,
    @Body() body: RescheduleSessionDto,
    @CurrentActor() actor: Actor,
  ): Promise<SessionView> {
    return this.sessions.reschedule(caseId, sessionId, actor, body);
  }

  @Delete('sessions/:sessionId')
  @ApiOkResponse({ type: SessionView, description: 'Calls a scheduled session off, with its reminders' })
  cancel(
    @Param('caseId') caseId: string,
    @Param('sessionId') sessionId: string,
    @CurrentActor() actor: Actor,
  ): Promise<SessionView> {
    return this.sessions.cancel(caseId, sessionId, actor);
  }

  @Post('sessions/:sessionId/record')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionView, description: 'The session held: attendance of every party, minutes' })
  record(
    @Param('caseId') caseId: string,
    @Param('sessionId') sessionId: string,
    @Body() body: RecordSessionDto,
    @CurrentActor() actor: Actor,
  ): Promise<SessionView> {
    return this.sessions.record(caseId, sessionId, actor, body);
  }

  @Post('outcome')
  @HttpCode(200)
  @ApiOkResponse({
    type: CaseView,
    description: 'Agreement (follow-ups planned), failure or referral; needs a session held',
  })
  outcome(
    @Param('caseId') caseId: string,
    @Body() body: RecordOutcomeDto,
    @CurrentActor() actor: Actor,
  ): Promise<CaseView> {
    return this.outcomes.record(caseId, actor, body);
  }
}
