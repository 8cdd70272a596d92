// HTTP for visits: the staff's and the caregiver's lists and view, the elder's contact for the caregiver holding
// the visit, check-in and check-out. DTOs in, views out.
import { AuditPersonalRead } from '@linli/audit';
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  CheckInDto,
  CheckOutDto,
  ListVisitsQuery,
  VisitContactView,
  VisitPage,
  VisitView,
} from './dto/visit.dto';
import { VisitsService } from './visits.service';

@ApiTags('visits')
@ApiBearerAuth()
@Controller('visits')
export class VisitsController {
  constructor(private readonly visits: VisitsService) {}

  @Get()
  @Roles('operator', 'supervisor', 'admin', 'coordinator', 'provider')
  @ApiOkResponse({ type: VisitPage, description: 'Ordered by due time; a provider sees the visits it holds' })
  list(@Query() query: ListVisitsQuery, @CurrentActor() actor: Actor): Promise<VisitPage> {
    return this.visits.list(query, actor);
  }

  @Get(':visitId')
  @Roles('operator', 'supervisor', 'admin', 'coordinator', 'provider')
  @ApiOkResponse({ type: VisitView })
  get(@Param('visitId') visitId: string, @CurrentActor() actor: Actor): Promise<VisitView> {
    return this.visits.get(visitId, actor);
  }

  @Get(':visitId/contact')
  @AuditPersonalRead('visit', ['contact.name', 'contact.phone', 'contact.address'])
  @Roles('operator', 'supervisor', 'admin', 'provider')
  @ApiOkResponse({ type: VisitContactView, description: 'The elder’s contact in full (audited in the log)' })
  contact(@Param('visitId') visitId: string, @CurrentActor() actor: Actor): Promise<VisitContactView> {
    return this.visits.contact(visitId, actor);
  }

  @Post(':visitId/check-in')
  @HttpCode(200)
  @Roles('provider')
  @ApiOkResponse({ type: VisitView })
  checkIn(
    @Param('visitId') visitId: string,
    @Body() body: CheckInDto,
    @CurrentActor() actor: Actor,
  ): Promise<VisitView> {
    return this.visits.checkIn(visitId, actor, body ?? {});
  }

  @Post(':visitId/check-out')
  @HttpCode(200)
  @Roles('provider')
  @ApiOkResponse({ type: VisitView })
  checkOut(
    @Param('visitId') visitId: string,
    @Body() body: CheckOutDto,
    @CurrentActor() actor: Actor,
  ): Promise<VisitView> {
    return this.visits.checkOut(visitId, actor, body);
  }
}
