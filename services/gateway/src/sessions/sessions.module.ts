// SessionsModule: filled in by its piece of issue 7 (see docs/adr and the issue).
import { Module } from '@nestjs/common';

@Module({})
export class SessionsModule {}
