// The gateway: the one public entry. Users and sign-in (sessions/, users/), the audit log (audit/), and the edge
// (edge/): routes to the services, the console, security headers, CORS, rate limits; the live push to browsers
// (live/). HTTP + the audit consumer + the live push's consumer.
import { AuditModule } from '@linli/audit';
import { AuthModule } from '@linli/auth';
import { auditTopic } from '@linli/contracts';
import { MessagingModule } from '@linli/messaging';
import { PersistenceModule } from '@linli/persistence';
import { PlatformModule } from '@linli/platform';
import { Module } from '@nestjs/common';
import { AuditLogModule } from './audit/audit.module';
import { config } from './config';
import { EdgeModule } from './edge/edge.module';
import { LiveModule } from './live/live.module';
import { OUTBOX_MODELS } from './models';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';

export const SERVICE = 'gateway';
/** Recorded by sessions/ as sign-in and sign-out, not again as resource.changed. */
const RECORDED_BY_HAND = ['POST /auth/login', 'POST /auth/refresh', 'POST /auth/logout'];

@Module({
  imports: [
    PlatformModule.forRoot({ service: SERVICE, config }),
    AuthModule.forRoot(config),
    PersistenceModule.forRoot({ dbName: config.MONGO_DB, url: config.MONGO_URL }),
    MessagingModule.forRoot({
      service: SERVICE,
      brokers: config.KAFKA_BROKERS.split(','),
      topics: [auditTopic],
      outboxModels: [...OUTBOX_MODELS],
      consumer: {
        consumerConfig: {
          sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
        },
      },
    }),
    // The gateway records its own (sign-in, user changes) like every service, and chains everyone's (audit/).
    AuditModule.forRoot({ service: SERVICE, recordedByHand: RECORDED_BY_HAND }),
    UsersModule,
    SessionsModule,
    AuditLogModule,
    EdgeModule,
    LiveModule,
  ],
})
export class AppModule {}
