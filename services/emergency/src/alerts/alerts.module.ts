// Alerts of an incident (CAP 1.2 Alert, Update, Cancel) composed by coordinators, as CAP XML and JSON; CAP posted in.
import { Module } from '@nestjs/common';

@Module({})
export class AlertsModule {}
