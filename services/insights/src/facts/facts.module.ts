// The fact collections, their repository and the consumers that fill them from the domain topics.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { FACT_MODELS } from './fact.models';
import {
  AlertFactsConsumer,
  CaseFactsConsumer,
  ElderFactsConsumer,
  JobFactsConsumer,
  TicketFactsConsumer,
} from './facts.consumer';
import { FactsRepository } from './facts.repository';

@Module({
  imports: [MongooseModule.forFeature(FACT_MODELS)],
  providers: [
    FactsRepository,
    TicketFactsConsumer,
    JobFactsConsumer,
    ElderFactsConsumer,
    CaseFactsConsumer,
    AlertFactsConsumer,
  ],
  exports: [FactsRepository],
})
export class FactsModule {}
