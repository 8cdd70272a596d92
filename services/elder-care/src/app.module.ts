// The elder-care service: the elder registry, care plans and their visits, HTTP + Kafka consumers + Bull
// processors in one process.
import { AuditModule } from '@linli/audit';
import { AuthModule } from '@linli/auth';
import { carePlanTopic, elderTopic, jobTopic, visitTopic } from '@linli/contracts';
import { MessagingModule } from '@linli/messaging';
import { PersistenceModule } from '@linli/persistence';
import { PlatformModule } from '@linli/platform';
import { SchedulingModule } from '@linli/scheduling';
import { Module } from '@nestjs/common';
import { config } from './config';
import { ELDER_MODEL } from './elders/elder.schema';
import { EldersModule } from './elders/elders.module';
import { ESCALATION_MODEL } from './escalations/escalation.schema';
import { EscalationsModule } from './escalations/escalations.module';
import { CARE_PLAN_MODEL } from './plans/care-plan.schema';
import { PlansModule } from './plans/plans.module';
import { ElderCareJobs } from './scheduling.jobs';
import { VISIT_MODEL } from './visits/visit.schema';
import { VisitsModule } from './visits/visits.module';

export const SERVICE = 'elder-care';

@Module({
  imports: [
    PlatformModule.forRoot({ service: SERVICE, config }),
    AuthModule.forRoot(config),
    AuditModule.forRoot({ service: SERVICE }),
    PersistenceModule.forRoot({ dbName: config.MONGO_DB, url: config.MONGO_URL }),
    MessagingModule.forRoot({
      service: SERVICE,
      brokers: config.KAFKA_BROKERS.split(','),
      // Its own three streams (it also reads its elder stream to keep visits in step with the registry), and
      // dispatch's job topic: job.requested, job.cancellation-requested and job.progress-reported go there.
      topics: [elderTopic, carePlanTopic, visitTopic, jobTopic],
      outboxModels: [ELDER_MODEL, CARE_PLAN_MODEL, VISIT_MODEL, ESCALATION_MODEL],
      consumer: {
        consumerConfig: {
          sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
        },
      },
    }),
    SchedulingModule.forRoot({
      jobs: Object.values(ElderCareJobs),
      redisUrl: config.REDIS_URL,
      runningTimeoutMs: config.SCHEDULED_WORK_RUNNING_TIMEOUT_MS,
      reconcileIntervalMs: config.SCHEDULING_RECONCILE_INTERVAL_MS,
    }),
    EldersModule,
    PlansModule,
    VisitsModule,
    EscalationsModule,
  ],
})
export class AppModule {}
