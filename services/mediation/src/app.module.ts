// The mediation service (人民调解): dispute cases, their mediators, sessions, outcomes and follow-ups, HTTP + Kafka
// consumers + Bull processors in one process.
import { AuditModule } from '@linli/audit';
import { AuthModule } from '@linli/auth';
import { caseTopic, jobTopic, ticketTopic } from '@linli/contracts';
import { MessagingModule } from '@linli/messaging';
import { PersistenceModule } from '@linli/persistence';
import { PlatformModule } from '@linli/platform';
import { SchedulingModule } from '@linli/scheduling';
import { Module } from '@nestjs/common';
import { CASE_MODEL } from './cases/case.schema';
import { CasesModule } from './cases/cases.module';
import { config } from './config';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { MediatorsModule } from './mediators/mediators.module';
import { MediationJobs } from './scheduling.jobs';
import { SessionsModule } from './sessions/sessions.module';

export const SERVICE = 'mediation';

@Module({
  imports: [
    PlatformModule.forRoot({ service: SERVICE, config }),
    AuthModule.forRoot(config),
    AuditModule.forRoot({ service: SERVICE }),
    PersistenceModule.forRoot({ dbName: config.MONGO_DB, url: config.MONGO_URL }),
    MessagingModule.forRoot({
      service: SERVICE,
      brokers: config.KAFKA_BROKERS.split(','),
      // Its case stream; resident-requests' tickets (ticket.routed opens a case); dispatch's jobs (job.requested
      // and job.cancellation-requested go there, job.accepted / escalated / cancelled come back).
      topics: [caseTopic, ticketTopic, jobTopic],
      outboxModels: [CASE_MODEL],
      consumer: {
        consumerConfig: {
          sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
        },
      },
    }),
    SchedulingModule.forRoot({
      jobs: Object.values(MediationJobs),
      redisUrl: config.REDIS_URL,
      runningTimeoutMs: config.SCHEDULED_WORK_RUNNING_TIMEOUT_MS,
      reconcileIntervalMs: config.SCHEDULING_RECONCILE_INTERVAL_MS,
    }),
    CasesModule,
    MediatorsModule,
    SessionsModule,
    FollowUpsModule,
  ],
})
export class AppModule {}
