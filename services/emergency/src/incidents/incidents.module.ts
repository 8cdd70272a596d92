// Incidents declared by coordinators or imported from CAP: their states, areas and every update kept.
import { Module } from '@nestjs/common';

@Module({})
export class IncidentsModule {}
