// Open311 GeoReport v2 for resident-requests: the public endpoint under /open311/v2 and the admins' client
// registry (/open311-clients). Builds on the ticket core through TicketsService and CatalogueService only.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CatalogueModule } from '../catalogue/catalogue.module';
import { TicketsModule } from '../tickets/tickets.module';
import { OPEN311_CLIENT_MODEL, open311ClientSchema } from './clients/open311-client.schema';
import { Open311ClientsController } from './clients/open311-clients.controller';
import { Open311ClientsRepository } from './clients/open311-clients.repository';
import { Open311ClientsService } from './clients/open311-clients.service';
import { OPEN311_CONFIG, open311Config } from './open311.config';
import { Open311EdgeHook } from './open311-edge.hook';
import { Open311Controller } from './open311.controller';
import { Open311Service } from './open311.service';
import { OPEN311_SUBMISSION_MODEL, open311SubmissionSchema } from './open311-submission.schema';
import { Open311SubmissionsRepository } from './open311-submissions.repository';

@Module({
  imports: [
    TicketsModule,
    CatalogueModule,
    MongooseModule.forFeature([
      { name: OPEN311_CLIENT_MODEL, schema: open311ClientSchema },
      { name: OPEN311_SUBMISSION_MODEL, schema: open311SubmissionSchema },
    ]),
  ],
  controllers: [Open311Controller, Open311ClientsController],
  providers: [
    // Validated when the module is built: a bad OPEN311_* variable stops the service at start-up.
    { provide: OPEN311_CONFIG, useFactory: () => open311Config() },
    Open311Service,
    Open311EdgeHook,
    Open311ClientsService,
    Open311ClientsRepository,
    Open311SubmissionsRepository,
  ],
})
export class Open311Module {}
