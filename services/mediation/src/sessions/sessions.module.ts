// Sessions and their reminders, and the outcome of a case.
import { Module } from '@nestjs/common';

@Module({})
export class SessionsModule {}
