import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { CallbackProcessor } from './callback.processor';
import { FINDING_CLAIM_MODEL, findingClaimSchema } from './finding-claim.schema';
import { ServiceLevelProcessor } from './service-level.processor';
import { TICKET_MODEL, TICKET_SEQUENCE_MODEL, ticketSchema, ticketSequenceSchema } from './ticket.schema';
import { TicketTimersReconciler } from './ticket-timers.reconciler';
import { TicketsConsumer } from './tickets.consumer';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';
import { MediationCasesConsumer } from './mediation-cases.consumer';
import { VisitFindingsConsumer } from './visit-findings.consumer';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: TICKET_MODEL, schema: ticketSchema },
      { name: TICKET_SEQUENCE_MODEL, schema: ticketSequenceSchema },
      { name: FINDING_CLAIM_MODEL, schema: findingClaimSchema },
    ]),
    CatalogueModule,
  ],
  controllers: [TicketsController],
  providers: [
    TicketsRepository,
    TicketsService,
    TicketsConsumer,
    VisitFindingsConsumer,
    MediationCasesConsumer,
    ServiceLevelProcessor,
    CallbackProcessor,
    TicketTimersReconciler,
  ],
  exports: [TicketsService],
})
export class TicketsModule {}
