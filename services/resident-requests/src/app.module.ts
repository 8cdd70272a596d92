// The resident-requests service: tickets and their call-backs, HTTP + Kafka consumers + Bull processors in one
// process.
import { AuditModule } from '@linli/audit';
import { AuthModule } from '@linli/auth';
import { caseTopic, jobTopic, ticketTopic } from '@linli/contracts';
import { MessagingModule } from '@linli/messaging';
import { PersistenceModule } from '@linli/persistence';
import { PlatformModule } from '@linli/platform';
import { SchedulingModule } from '@linli/scheduling';
import { Module } from '@nestjs/common';
import { CatalogueModule } from './catalogue/catalogue.module';
import { config } from './config';
import { DivisionsModule } from './divisions/divisions.module';
import { Open311Module } from './open311/open311.module';
import { RequestJobs } from './scheduling.jobs';
import { TICKET_MODEL } from './tickets/ticket.schema';
import { TicketsModule } from './tickets/tickets.module';

export const SERVICE = 'resident-requests';

@Module({
  imports: [
    PlatformModule.forRoot({ service: SERVICE, config }),
    AuthModule.forRoot(config),
    AuditModule.forRoot({ service: SERVICE }),
    PersistenceModule.forRoot({ dbName: config.MONGO_DB, url: config.MONGO_URL }),
    MessagingModule.forRoot({
      service: SERVICE,
      brokers: config.KAFKA_BROKERS.split(','),
      // The ticket stream, and dispatch's job topic: job.requested and job.cancellation-requested go there;
      // mediation's case stream, which a ticket routed to mediation follows (consumed).
      topics: [ticketTopic, jobTopic, caseTopic],
      outboxModels: [TICKET_MODEL],
      consumer: {
        consumerConfig: {
          sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
        },
      },
    }),
    SchedulingModule.forRoot({
      jobs: Object.values(RequestJobs),
      redisUrl: config.REDIS_URL,
      runningTimeoutMs: config.SCHEDULED_WORK_RUNNING_TIMEOUT_MS,
    }),
    CatalogueModule,
    DivisionsModule,
    TicketsModule,
    Open311Module,
  ],
})
export class AppModule {}
