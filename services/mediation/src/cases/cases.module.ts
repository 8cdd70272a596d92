// Cases: opening (by hand and from dispute tickets), parties, risk, the mediator through dispatch or by hand, time
// limits, escalation, withdrawal. Exports CaseStoreModule (the case's repository, writer and time-limit timer), so
// sessions and follow-ups can import this module or the store alone.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MediatorsModule } from '../mediators/mediators.module';
import { CaseStoreModule } from './case-store.module';
import { CaseTimeLimitProcessor } from './case-time-limit.processor';
import { CasesConsumer } from './cases.consumer';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';
import {
  TICKET_PRIORITY_MODEL,
  TicketPrioritiesRepository,
  ticketPrioritySchema,
} from './ticket-priorities.repository';

@Module({
  imports: [
    CaseStoreModule,
    MediatorsModule,
    MongooseModule.forFeature([{ name: TICKET_PRIORITY_MODEL, schema: ticketPrioritySchema }]),
  ],
  controllers: [CasesController],
  providers: [CasesService, CasesConsumer, CaseTimeLimitProcessor, TicketPrioritiesRepository],
  exports: [CaseStoreModule, CasesService],
})
export class CasesModule {}
