// Follow-up visits after an agreement: their timers, the worklist of those due, the record of a visit.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CaseStoreModule } from '../cases/case-store.module';
import { CASE_MODEL, caseSchema } from '../cases/case.schema';
import { FollowUpDueProcessor } from './follow-up-due.processor';
import { FollowUpTimers } from './follow-up-timers';
import { FollowUpsController } from './follow-ups.controller';
import { FollowUpsRepository } from './follow-ups.repository';
import { FollowUpsService } from './follow-ups.service';

@Module({
  imports: [CaseStoreModule, MongooseModule.forFeature([{ name: CASE_MODEL, schema: caseSchema }])],
  controllers: [FollowUpsController],
  providers: [FollowUpTimers, FollowUpsRepository, FollowUpsService, FollowUpDueProcessor],
  exports: [FollowUpTimers],
})
export class FollowUpsModule {}
