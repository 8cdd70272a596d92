import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProvidersModule } from '../providers/providers.module';
import { JOB_MODEL, jobSchema } from './job.schema';
import { JobsConsumer } from './jobs.consumer';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { OfferExpiryProcessor } from './offer-expiry.processor';
import { OfferTimersReconciler } from './offer-timers.reconciler';

@Module({
  imports: [MongooseModule.forFeature([{ name: JOB_MODEL, schema: jobSchema }]), ProvidersModule],
  controllers: [JobsController],
  providers: [JobsRepository, JobsService, JobsConsumer, OfferExpiryProcessor, OfferTimersReconciler],
})
export class JobsModule {}
