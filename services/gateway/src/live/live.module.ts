// The live push to browsers (GET /live): a consumer of every domain topic, fanning out id-only change notices to the
// streams of the users whose jurisdiction they concern (ADR 0031).
import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { LiveConsumer } from './live.consumer';
import { LiveController } from './live.controller';
import { LiveHub } from './live.hub';

@Module({
  imports: [SessionsModule],
  controllers: [LiveController],
  providers: [LiveHub, LiveConsumer],
})
export class LiveModule {}
