// HTTP of alerts: issue for an incident, update, cancel, read (one, or an incident's); each message as CAP 1.2
// (XML or JSON by Accept).
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { idempotencyRecord } from '@linli/persistence';
import { ApiIdempotencyKey, IdempotencyKey, type IdempotentRequest } from '@linli/platform';
import { Body, Controller, Get, Headers, Param, ParseIntPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CapAlert } from '../cap/cap.model';
import { writeCapJson, writeCapXml } from '../cap/cap.writer';
import { INCIDENT_READERS, INCIDENT_WRITERS } from '../incidents/incidents.controller';
import { toAlertView, toMessageView } from './alert.view';
import { AlertsService } from './alerts.service';
import { AlertChangesDto, CancelAlertDto, IssueAlertDto } from './dto/alert.dto';

export const CAP_XML_CONTENT_TYPE = 'application/cap+xml; charset=utf-8';

/** JSON when the client asks for it (and not for XML first); XML (CAP's own form) otherwise. */
export function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const json = types.findIndex((type) => type === 'application/json');
  const xml = types.findIndex(
    (type) => type === 'application/cap+xml' || type === 'application/xml' || type === 'text/xml',
  );
  return json >= 0 && (xml < 0 || json < xml);
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Post('incidents/:incidentId/alerts')
  @Roles(...INCIDENT_WRITERS)
  @ApiIdempotencyKey()
  async issue(
    @Param('incidentId') incidentId: string,
    @Body() body: IssueAlertDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: IdempotentRequest | undefined,
  ) {
    const idempotency = idempotencyRecord(idempotencyKey, actor.userId, 'alerts.issue');
    return toAlertView(await this.alerts.issue(incidentId, body, actor, idempotency));
  }

  /** The incident's alerts, the first issued first (the console's incident page lists them). */
  @Get('incidents/:incidentId/alerts')
  @Roles(...INCIDENT_READERS)
  async ofIncident(@Param('incidentId') incidentId: string, @CurrentActor() actor: Actor) {
    const now = new Date();
    const alerts = await this.alerts.ofIncident(incidentId, actor);
    return { items: alerts.map((state) => toAlertView(state, now)) };
  }

  @Post('alerts/:alertId/updates')
  @Roles(...INCIDENT_WRITERS)
  @ApiIdempotencyKey()
  async update(
    @Param('alertId') alertId: string,
    @Body() body: AlertChangesDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: IdempotentRequest | undefined,
  ) {
    const idempotency = idempotencyRecord(idempotencyKey, actor.userId, 'alerts.update');
    return toMessageView(await this.alerts.update(alertId, body, actor, idempotency));
  }

  @Post('alerts/:alertId/cancel')
  @Roles(...INCIDENT_WRITERS)
  @ApiIdempotencyKey()
  async cancel(
    @Param('alertId') alertId: string,
    @Body() body: CancelAlertDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: IdempotentRequest | undefined,
  ) {
    const idempotency = idempotencyRecord(idempotencyKey, actor.userId, 'alerts.cancel');
    return toMessageView(await this.alerts.cancel(alertId, body.reason, actor, idempotency));
  }

  @Get('alerts/:alertId')
  @Roles(...INCIDENT_READERS)
  async get(@Param('alertId') alertId: string, @CurrentActor() actor: Actor) {
    return toAlertView(await this.alerts.get(alertId, actor));
  }

  @Get('alerts/:alertId/cap')
  @Roles(...INCIDENT_READERS)
  @ApiProduces('application/cap+xml', 'application/json')
  async latestCap(
    @Param('alertId') alertId: string,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.send(reply, await this.alerts.cap(alertId, undefined, actor), accept);
  }

  @Get('alerts/:alertId/messages/:sequence/cap')
  @Roles(...INCIDENT_READERS)
  @ApiProduces('application/cap+xml', 'application/json')
  async messageCap(
    @Param('alertId') alertId: string,
    @Param('sequence', ParseIntPipe) sequence: number,
    @Headers('accept') accept: string | undefined,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    this.send(reply, await this.alerts.cap(alertId, sequence, actor), accept);
  }

  private send(reply: FastifyReply, cap: CapAlert, accept: string | undefined): void {
    if (wantsJson(accept)) {
      void reply
        .status(200)
        .header('content-type', 'application/json; charset=utf-8')
        .send(writeCapJson(cap));
    } else {
      void reply.status(200).header('content-type', CAP_XML_CONTENT_TYPE).send(writeCapXml(cap));
    }
  }
}
