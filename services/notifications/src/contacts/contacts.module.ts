// The directory: who can be told what, where (their areas) and on which channels, in which language; residents'
// subscriptions to their community's alerts.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CONTACT_MODEL } from '../models';
import { contactSchema } from './contact.schema';

const models = MongooseModule.forFeature([{ name: CONTACT_MODEL, schema: contactSchema }]);

@Module({ imports: [models], exports: [models] })
export class ContactsModule {}
