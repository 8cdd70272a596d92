// The live push to browsers (GET /live): a consumer of every domain topic, fanning out id-only change notices to the
// streams of the users whose jurisdiction they concern (ADR 0031).
import { Module } from '@nestjs/common';
import { config } from '../config';
import { SessionsModule } from '../sessions/sessions.module';
import { SessionsService } from '../sessions/sessions.service';
import { LiveConsumer } from './live.consumer';
import { LiveController } from './live.controller';
import { LIVE_OPTIONS, LiveHub, type LiveOptions } from './live.hub';

@Module({
  imports: [SessionsModule],
  controllers: [LiveController],
  providers: [
    {
      provide: LIVE_OPTIONS,
      inject: [SessionsService],
      useFactory: (sessions: SessionsService): LiveOptions => ({
        maxStreamsPerUser: config.LIVE_MAX_STREAMS_PER_USER,
        maxStreams: config.LIVE_MAX_STREAMS,
        heartbeatMs: config.LIVE_HEARTBEAT_MS,
        maxBufferedBytes: config.LIVE_MAX_BUFFERED_BYTES,
        isRevoked: (sessionId) => sessions.isRevoked(sessionId),
      }),
    },
    LiveHub,
    LiveConsumer,
  ],
})
export class LiveModule {}
