// HTTP for an elder's care plan, its visits, discharges and one-off visits. DTOs in, views out.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { VisitView } from '../visits/dto/visit.dto';
import {
  CarePlanVersionList,
  CarePlanView,
  DischargeView,
  ElderVisitsQuery,
  OneOffVisitDto,
  PutCarePlanDto,
  RecordDischargeDto,
} from './dto/care-plan.dto';
import { CarePlansService } from './care-plans.service';

const WRITERS = ['operator', 'supervisor', 'admin'] as const;
const STAFF = ['operator', 'supervisor', 'admin', 'coordinator'] as const;

@ApiTags('care plans')
@ApiBearerAuth()
@Controller('elders/:elderId')
export class CarePlansController {
  constructor(private readonly plans: CarePlansService) {}

  @Put('care-plan')
  @Roles(...WRITERS)
  @ApiOkResponse({ type: CarePlanView, description: '201 when the plan was created, 200 for a new version' })
  async put(
    @Param('elderId') elderId: string,
    @Body() body: PutCarePlanDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CarePlanView> {
    const { view, created } = await this.plans.put(elderId, body, actor);
    reply.status(created ? 201 : 200);
    return view;
  }

  @Get('care-plan')
  @Roles(...STAFF)
  @ApiOkResponse({ type: CarePlanView })
  get(@Param('elderId') elderId: string, @CurrentActor() actor: Actor): Promise<CarePlanView> {
    return this.plans.get(elderId, actor);
  }

  @Get('care-plan/versions')
  @Roles(...STAFF)
  @ApiOkResponse({ type: CarePlanVersionList })
  versions(@Param('elderId') elderId: string, @CurrentActor() actor: Actor): Promise<CarePlanVersionList> {
    return this.plans.versions(elderId, actor);
  }

  @Delete('care-plan')
  @HttpCode(200)
  @Roles(...WRITERS)
  @ApiOkResponse({ type: CarePlanView, description: 'The plan ended; its future visits cancelled' })
  end(@Param('elderId') elderId: string, @CurrentActor() actor: Actor): Promise<CarePlanView> {
    return this.plans.end(elderId, actor);
  }

  @Get('visits')
  @Roles(...STAFF)
  listVisits(
    @Param('elderId') elderId: string,
    @Query() query: ElderVisitsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<{ items: VisitView[] }> {
    return this.plans.listVisits(elderId, query, actor);
  }

  @Post('visits')
  @Roles(...WRITERS)
  addVisit(
    @Param('elderId') elderId: string,
    @Body() body: OneOffVisitDto,
    @CurrentActor() actor: Actor,
  ): Promise<VisitView> {
    return this.plans.addVisit(elderId, body, actor);
  }

  @Post('discharges')
  @Roles(...WRITERS)
  @ApiOkResponse({ type: DischargeView, description: '201 when recorded, 200 for the same date again' })
  async discharge(
    @Param('elderId') elderId: string,
    @Body() body: RecordDischargeDto,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DischargeView> {
    const { view, created } = await this.plans.recordDischarge(elderId, body, actor);
    reply.status(created ? 201 : 200);
    return view;
  }
}
