// Care plans and the planner: plan versions, the visits they want on the rolling horizon (generated, replaced,
// cancelled), the daily horizon job, discharges and one-off visits. The Visit model comes from VisitStoreModule,
// shared with the visits module, which takes each visit on from its dispatch timer.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { EldersModule } from '../elders/elders.module';
import { VisitStoreModule } from '../visits/visit-store.module';
import {
  CARE_PLAN_MODEL,
  CARE_PLAN_VERSION_MODEL,
  carePlanSchema,
  carePlanVersionSchema,
  DISCHARGE_MODEL,
  dischargeSchema,
} from './care-plan.schema';
import { CarePlansController } from './care-plans.controller';
import { CarePlansRepository } from './care-plans.repository';
import { CarePlansService } from './care-plans.service';
import { ElderEventsConsumer } from './elder-events.consumer';
import { PlannedVisitsRepository } from './planned-visits.repository';
import { VisitHorizonProcessor } from './visit-horizon.processor';
import { VisitPlanner } from './visit-planner';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: CARE_PLAN_MODEL, schema: carePlanSchema },
      { name: CARE_PLAN_VERSION_MODEL, schema: carePlanVersionSchema },
      { name: DISCHARGE_MODEL, schema: dischargeSchema },
    ]),
    VisitStoreModule,
    EldersModule,
  ],
  controllers: [CarePlansController],
  providers: [
    CarePlansRepository,
    PlannedVisitsRepository,
    VisitPlanner,
    CarePlansService,
    ElderEventsConsumer,
    VisitHorizonProcessor,
  ],
  exports: [VisitPlanner],
})
export class PlansModule {}
