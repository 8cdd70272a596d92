// Alerts of an incident (CAP 1.2 Alert, Update, Cancel) composed by coordinators, as CAP XML and JSON; CAP posted in
// (POST /cap, read as a string by the XML body parser registered here, capped at CAP_MAX_BYTES).
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import type { FastifyInstance } from 'fastify';
import { config } from '../config';
import { IncidentsModule } from '../incidents/incidents.module';
import { ALERT_MODEL } from '../models';
import {
  ALERT_SEQUENCE_MODEL,
  alertSchema,
  alertSequenceSchema,
  CAP_IMPORT_MODEL,
  capImportSchema,
} from './alert.schema';
import { AlertsController } from './alerts.controller';
import { AlertsRepository } from './alerts.repository';
import { AlertsService } from './alerts.service';
import { CAP_MEDIA_TYPES, CapImportController } from './cap-import.controller';
import { CapImportService } from './cap-import.service';

@Module({
  imports: [
    IncidentsModule,
    MongooseModule.forFeature([
      { name: ALERT_MODEL, schema: alertSchema },
      { name: ALERT_SEQUENCE_MODEL, schema: alertSequenceSchema },
      { name: CAP_IMPORT_MODEL, schema: capImportSchema },
    ]),
  ],
  controllers: [AlertsController, CapImportController],
  providers: [AlertsRepository, AlertsService, CapImportService],
  exports: [AlertsRepository, AlertsService],
})
export class AlertsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** CAP arrives as XML (the platform parses only JSON and forms): a UTF-8 string, at most CAP_MAX_BYTES. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    for (const mediaType of CAP_MEDIA_TYPES) {
      if (fastify.hasContentTypeParser(mediaType)) continue;
      fastify.addContentTypeParser(
        mediaType,
        { parseAs: 'string', bodyLimit: config.CAP_MAX_BYTES },
        (_request, body, done) => done(null, body),
      );
    }
  }
}
