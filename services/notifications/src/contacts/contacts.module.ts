// The directory: who can be told what, where (their areas) and on which channels, in which language; residents'
// subscriptions to their community's alerts.
import { Module } from '@nestjs/common';

@Module({})
export class ContactsModule {}
