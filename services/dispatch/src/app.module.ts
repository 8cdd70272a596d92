// The dispatch service: providers and the jobs board, HTTP + Kafka consumers + Bull processors in one process.
import { AuditModule } from '@linli/audit';
import { AuthModule } from '@linli/auth';
import { jobTopic } from '@linli/contracts';
import { MessagingModule } from '@linli/messaging';
import { PersistenceModule } from '@linli/persistence';
import { PlatformModule } from '@linli/platform';
import { SchedulingModule } from '@linli/scheduling';
import { Module } from '@nestjs/common';
import { config } from './config';
import { JOB_MODEL } from './jobs/job.schema';
import { JobsModule } from './jobs/jobs.module';
import { ProvidersModule } from './providers/providers.module';
import { DispatchJobs } from './scheduling.jobs';

export const SERVICE = 'dispatch';

@Module({
  imports: [
    PlatformModule.forRoot({ service: SERVICE, config }),
    AuthModule.forRoot(config),
    AuditModule.forRoot({ service: SERVICE }),
    PersistenceModule.forRoot({ dbName: config.MONGO_DB, url: config.MONGO_URL }),
    MessagingModule.forRoot({
      service: SERVICE,
      brokers: config.KAFKA_BROKERS.split(','),
      topics: [jobTopic],
      outboxModels: [JOB_MODEL],
      consumer: {
        consumerConfig: {
          sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
        },
      },
    }),
    SchedulingModule.forRoot({
      jobs: Object.values(DispatchJobs),
      redisUrl: config.REDIS_URL,
      runningTimeoutMs: config.SCHEDULED_WORK_RUNNING_TIMEOUT_MS,
    }),
    ProvidersModule,
    JobsModule,
  ],
})
export class AppModule {}
