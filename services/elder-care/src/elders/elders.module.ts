// The elder registry: registration, CSV import, profile changes, the communities' emergency contact lists. Other
// areas of the service import this module for EldersRepository and CommunityContactsRepository.
import { InjectConfig } from '@linli/platform';
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import type { FastifyInstance } from 'fastify';
import type { ElderCareConfig } from '../config';
import { COMMUNITY_CONTACTS_MODEL, communityContactsSchema } from './community-contacts.schema';
import { CommunityContactsRepository } from './community-contacts.repository';
import { ELDER_IMPORT_MODEL, elderImportSchema } from './elder-import.schema';
import { ElderImportService } from './elder-import.service';
import { ElderImportsRepository } from './elder-imports.repository';
import { ELDER_MODEL, elderSchema } from './elder.schema';
import { ELDER_SEQUENCE_MODEL, elderSequenceSchema } from './elder-sequence.schema';
import { CSV_MEDIA_TYPE, EldersController } from './elders.controller';
import { EldersRepository } from './elders.repository';
import { EldersService } from './elders.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ELDER_MODEL, schema: elderSchema },
      { name: ELDER_SEQUENCE_MODEL, schema: elderSequenceSchema },
      { name: COMMUNITY_CONTACTS_MODEL, schema: communityContactsSchema },
      { name: ELDER_IMPORT_MODEL, schema: elderImportSchema },
    ]),
  ],
  controllers: [EldersController],
  providers: [
    EldersRepository,
    CommunityContactsRepository,
    ElderImportsRepository,
    EldersService,
    ElderImportService,
  ],
  exports: [EldersRepository, CommunityContactsRepository],
})
export class EldersModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectConfig() private readonly config: ElderCareConfig,
  ) {}

  /**
   * Elder lists arrive as text/csv (the platform parses only JSON and forms): read as a UTF-8 string, capped at
   * IMPORT_MAX_BYTES (over it Fastify answers 413). Registered before the server starts listening.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser(CSV_MEDIA_TYPE)) return;
    fastify.addContentTypeParser(
      CSV_MEDIA_TYPE,
      { parseAs: 'string', bodyLimit: this.config.IMPORT_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );
  }
}
