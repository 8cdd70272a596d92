// A visit's life after planning: its timers (dispatch, miss), dispatch's job events, and the HTTP of staff and
// caregivers. The Visit model comes from VisitStoreModule, shared with the planner.
import { Module } from '@nestjs/common';
import { EldersModule } from '../elders/elders.module';
import { EscalationsModule } from '../escalations/escalations.module';
import { VisitDispatchProcessor } from './visit-dispatch.processor';
import { VisitMissedProcessor } from './visit-missed.processor';
import { VisitStoreModule } from './visit-store.module';
import { VisitTimeline } from './visit-timeline.service';
import { VisitsConsumer } from './visits.consumer';
import { VisitsController } from './visits.controller';
import { VisitsRepository } from './visits.repository';
import { VisitsService } from './visits.service';

@Module({
  imports: [VisitStoreModule, EldersModule, EscalationsModule],
  controllers: [VisitsController],
  providers: [
    VisitsRepository,
    VisitsService,
    VisitTimeline,
    VisitsConsumer,
    VisitDispatchProcessor,
    VisitMissedProcessor,
  ],
})
export class VisitsModule {}
