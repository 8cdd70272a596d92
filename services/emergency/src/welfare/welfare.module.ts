// Welfare checks on the vulnerable residents of an incident's area through dispatch, and the coordinator's board of
// them: the vulnerable residents and incidents kept from events, the checks with their outbox.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { VULNERABLE_RESIDENT_MODEL, WELFARE_CHECK_MODEL } from '../models';
import { vulnerableResidentSchema, VulnerableResidentsProjection } from './vulnerable-residents.projection';
import { welfareCheckSchema } from './welfare-check.schema';
import { WelfareChecksRepository } from './welfare-checks.repository';
import {
  WELFARE_INCIDENT_MODEL,
  welfareIncidentSchema,
  WelfareIncidentsProjection,
} from './welfare-incidents.projection';
import { WelfareConsumer } from './welfare.consumer';
import { WelfareController } from './welfare.controller';
import { WelfareService } from './welfare.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WELFARE_CHECK_MODEL, schema: welfareCheckSchema },
      { name: VULNERABLE_RESIDENT_MODEL, schema: vulnerableResidentSchema },
      { name: WELFARE_INCIDENT_MODEL, schema: welfareIncidentSchema },
    ]),
  ],
  controllers: [WelfareController],
  providers: [
    WelfareService,
    WelfareConsumer,
    WelfareChecksRepository,
    VulnerableResidentsProjection,
    WelfareIncidentsProjection,
  ],
})
export class WelfareModule {}
