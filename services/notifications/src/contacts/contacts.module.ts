// The directory: who can be told what, where (their areas) and on which channels, in which language; residents'
// subscriptions to their community's alerts.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Schema } from 'mongoose';
import { ChannelsModule } from '../channels/channels.module';
import { CONTACT_MODEL, SUBSCRIPTION_SEQUENCE_MODEL } from '../models';
import { contactSchema } from './contact.schema';
import { ContactsController, SubscriptionsController } from './contacts.controller';
import { ContactsRepository } from './contacts.repository';
import { ContactsService } from './contacts.service';

const sequenceSchema = new Schema<{ _id: string; sequence: number }>(
  { _id: { type: String, required: true }, sequence: { type: Number, required: true } },
  { collection: 'subscription_sequences', versionKey: false },
);

const models = MongooseModule.forFeature([
  { name: CONTACT_MODEL, schema: contactSchema },
  { name: SUBSCRIPTION_SEQUENCE_MODEL, schema: sequenceSchema },
]);

@Module({
  imports: [models, ChannelsModule],
  controllers: [ContactsController, SubscriptionsController],
  providers: [ContactsRepository, ContactsService],
  exports: [models, ContactsRepository],
})
export class ContactsModule {}
