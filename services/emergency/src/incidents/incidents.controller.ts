// HTTP of incidents: declare, list, read (with its history), update, activate, all-clear, close.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { idempotencyRecord } from '@linli/persistence';
import { ApiIdempotencyKey, IdempotencyKey, type IdempotentRequest } from '@linli/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CloseIncidentDto,
  DeclareIncidentDto,
  ListIncidentsQuery,
  UpdateIncidentDto,
} from './dto/incident.dto';
import { toIncidentListItem, toIncidentView } from './incident.view';
import { IncidentsService } from './incidents.service';

export const INCIDENT_WRITERS = ['coordinator', 'supervisor', 'admin'] as const;
export const INCIDENT_READERS = [...INCIDENT_WRITERS, 'operator'] as const;

@ApiTags('incidents')
@ApiBearerAuth()
@Controller('incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @Roles(...INCIDENT_WRITERS)
  @ApiIdempotencyKey()
  async declare(
    @Body() body: DeclareIncidentDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: IdempotentRequest | undefined,
  ) {
    const idempotency = idempotencyRecord(idempotencyKey, actor.userId, 'incidents.declare');
    return toIncidentView(await this.incidents.declare(body, actor, idempotency));
  }

  @Get()
  @Roles(...INCIDENT_READERS)
  async list(@Query() query: ListIncidentsQuery, @CurrentActor() actor: Actor) {
    const page = await this.incidents.list(query, actor);
    return { ...page, items: page.items.map(toIncidentListItem) };
  }

  @Get(':incidentId')
  @Roles(...INCIDENT_READERS)
  async get(@Param('incidentId') incidentId: string, @CurrentActor() actor: Actor) {
    return toIncidentView(await this.incidents.get(incidentId, actor));
  }

  @Post(':incidentId/updates')
  @HttpCode(200)
  @Roles(...INCIDENT_WRITERS)
  async update(
    @Param('incidentId') incidentId: string,
    @Body() body: UpdateIncidentDto,
    @CurrentActor() actor: Actor,
  ) {
    return toIncidentView(await this.incidents.update(incidentId, body, actor));
  }

  @Post(':incidentId/activate')
  @HttpCode(200)
  @Roles(...INCIDENT_WRITERS)
  async activate(@Param('incidentId') incidentId: string, @CurrentActor() actor: Actor) {
    return toIncidentView(await this.incidents.move(incidentId, 'activate', actor));
  }

  @Post(':incidentId/all-clear')
  @HttpCode(200)
  @Roles(...INCIDENT_WRITERS)
  async allClear(@Param('incidentId') incidentId: string, @CurrentActor() actor: Actor) {
    return toIncidentView(await this.incidents.move(incidentId, 'all-clear', actor));
  }

  @Post(':incidentId/close')
  @HttpCode(200)
  @Roles(...INCIDENT_WRITERS)
  async close(
    @Param('incidentId') incidentId: string,
    @Body() body: CloseIncidentDto,
    @CurrentActor() actor: Actor,
  ) {
    return toIncidentView(await this.incidents.move(incidentId, 'close', actor, body));
  }
}
