// HTTP for operators, supervisors and admins (and, for /contact only, the provider holding the job): DTOs in,
// views out; the use cases are TicketsService's.
import { AuditPersonalRead } from '@linli/audit';
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { idempotencyRecord } from '@linli/persistence';
import { ApiIdempotencyKey, IdempotencyKey, type IdempotentRequest } from '@linli/platform';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  CallbacksQuery,
  CancelTicketDto,
  CreateTicketDto,
  ListTicketsQuery,
  OpenByPhoneQuery,
  RecordCallbackDto,
  ReopenTicketDto,
  ReprioritiseDto,
  ResolveTicketDto,
} from './dto/ticket.dto';
import type { ContactView, TicketSummary, TicketView } from './ticket.view';
import { TicketsService, type OpenTicketRef } from './tickets.service';

@ApiTags('tickets')
@ApiBearerAuth()
@Roles('operator', 'supervisor', 'admin')
@Controller()
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post('tickets')
  @ApiIdempotencyKey()
  create(
    @Body() body: CreateTicketDto,
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: IdempotentRequest | undefined,
  ): Promise<TicketView> {
    return this.tickets.create(
      body,
      actor,
      idempotencyRecord(idempotencyKey, actor.userId, 'tickets.create'),
    );
  }

  @Get('tickets')
  list(
    @Query() query: ListTicketsQuery,
    @CurrentActor() actor: Actor,
  ): Promise<{ items: TicketSummary[]; total: number; page: number; pageSize: number }> {
    return this.tickets.list(
      {
        status: query.status,
        category: query.category,
        channel: query.channel,
        community: query.community,
        breached: query.breached,
        createdFrom: query.from ? new Date(query.from) : undefined,
        createdTo: query.to ? new Date(query.to) : undefined,
        page: query.page,
        pageSize: query.pageSize,
      },
      actor,
    );
  }

  /**
   * The duplicate warning while the operator types the caller's number. Declared before `tickets/:ticketId`
   * (Fastify prefers a static path anyway). The answer has no personal data, but the lookup is by a resident's
   * phone: recorded as a personal read like the others.
   */
  @Get('tickets/open-by-phone')
  @AuditPersonalRead('ticket', ['reporter.phone'])
  openByPhone(
    @Query() query: OpenByPhoneQuery,
    @CurrentActor() actor: Actor,
  ): Promise<{ items: OpenTicketRef[] }> {
    return this.tickets.openByPhone(query.phone, actor).then((items) => ({ items }));
  }

  @Get('tickets/:ticketId')
  @AuditPersonalRead('ticket', ['reporter.name', 'reporter.phone', 'place.address'])
  get(@Param('ticketId') ticketId: string, @CurrentActor() actor: Actor): Promise<TicketView> {
    return this.tickets.get(ticketId, actor);
  }

  /**
   * The resident's contact: for the provider holding the job while it holds it, or the mediator holding the
   * mediation case of a routed ticket; operators within jurisdiction.
   */
  @Roles('provider', 'mediator', 'operator', 'supervisor', 'admin')
  @Get('tickets/:ticketId/contact')
  @AuditPersonalRead('ticket', ['contact.name', 'contact.phone', 'contact.address'])
  contact(@Param('ticketId') ticketId: string, @CurrentActor() actor: Actor): Promise<ContactView> {
    return this.tickets.contact(ticketId, actor);
  }

  @Post('tickets/:ticketId/priority')
  @HttpCode(200)
  reprioritise(
    @Param('ticketId') ticketId: string,
    @Body() body: ReprioritiseDto,
    @CurrentActor() actor: Actor,
  ): Promise<TicketView> {
    return this.tickets.reprioritise(ticketId, body, actor);
  }

  @Post('tickets/:ticketId/cancel')
  @HttpCode(200)
  cancel(
    @Param('ticketId') ticketId: string,
    @Body() body: CancelTicketDto,
    @CurrentActor() actor: Actor,
  ): Promise<TicketView> {
    return this.tickets.cancel(ticketId, body, actor);
  }

  @Post('tickets/:ticketId/reopen')
  @HttpCode(200)
  reopen(
    @Param('ticketId') ticketId: string,
    @Body() body: ReopenTicketDto,
    @CurrentActor() actor: Actor,
  ): Promise<TicketView> {
    return this.tickets.reopen(ticketId, body, actor);
  }

  @Post('tickets/:ticketId/resolve')
  @HttpCode(200)
  resolve(
    @Param('ticketId') ticketId: string,
    @Body() body: ResolveTicketDto,
    @CurrentActor() actor: Actor,
  ): Promise<TicketView> {
    return this.tickets.resolve(ticketId, body, actor);
  }

  /** The call-back's answer (回访). */
  @Post('tickets/:ticketId/callback')
  @HttpCode(200)
  recordCallback(
    @Param('ticketId') ticketId: string,
    @Body() body: RecordCallbackDto,
    @CurrentActor() actor: Actor,
  ): Promise<TicketView> {
    return this.tickets.recordCallback(ticketId, body, actor);
  }

  /** The call-back worklist (回访) of a day, default today in China. */
  @Get('callbacks')
  callbacks(@Query() query: CallbacksQuery, @CurrentActor() actor: Actor) {
    return this.tickets.callbacks(query.date, actor);
  }
}
