// Incidents declared by coordinators or imported from CAP: their states, areas and every update kept. Exports the
// repository and service for alerts (an alert belongs to an incident) and the CAP import.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { INCIDENT_MODEL } from '../models';
import { INCIDENT_SEQUENCE_MODEL, incidentSchema, incidentSequenceSchema } from './incident.schema';
import { IncidentsController } from './incidents.controller';
import { IncidentsRepository } from './incidents.repository';
import { IncidentsService } from './incidents.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: INCIDENT_MODEL, schema: incidentSchema },
      { name: INCIDENT_SEQUENCE_MODEL, schema: incidentSequenceSchema },
    ]),
  ],
  controllers: [IncidentsController],
  providers: [IncidentsRepository, IncidentsService],
  exports: [IncidentsRepository, IncidentsService],
})
export class IncidentsModule {}
