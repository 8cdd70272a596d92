// The elder registry: registration, import, profile changes, the communities' emergency contact lists. Other
// areas of the service import this module for EldersRepository and CommunityContactsRepository.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { COMMUNITY_CONTACTS_MODEL, communityContactsSchema } from './community-contacts.schema';
import { CommunityContactsRepository } from './community-contacts.repository';
import { ELDER_MODEL, elderSchema } from './elder.schema';
import { ELDER_SEQUENCE_MODEL, elderSequenceSchema } from './elder-sequence.schema';
import { EldersRepository } from './elders.repository';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ELDER_MODEL, schema: elderSchema },
      { name: ELDER_SEQUENCE_MODEL, schema: elderSequenceSchema },
      { name: COMMUNITY_CONTACTS_MODEL, schema: communityContactsSchema },
    ]),
  ],
  providers: [EldersRepository, CommunityContactsRepository],
  exports: [EldersRepository, CommunityContactsRepository],
})
export class EldersModule {}
