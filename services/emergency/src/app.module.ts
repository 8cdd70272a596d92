// The emergency service (社区应急): incidents, their alerts (CAP 1.2) broadcast through notifications, the
// acknowledgements and the chase of the silent, welfare checks on the vulnerable through dispatch. HTTP + Kafka
// consumers + Bull processors in one process.
import { AuditModule } from '@linli/audit';
import { AuthModule } from '@linli/auth';
import { alertTopic, broadcastTopic, elderTopic, incidentTopic, jobTopic } from '@linli/contracts';
import { MessagingModule } from '@linli/messaging';
import { PersistenceModule } from '@linli/persistence';
import { PlatformModule } from '@linli/platform';
import { SchedulingModule } from '@linli/scheduling';
import { Module } from '@nestjs/common';
import { AlertsModule } from './alerts/alerts.module';
import { config } from './config';
import { IncidentsModule } from './incidents/incidents.module';
import { OUTBOX_MODELS } from './models';
import { RecipientsModule } from './recipients/recipients.module';
import { EmergencyJobs } from './scheduling.jobs';
import { WelfareModule } from './welfare/welfare.module';

export const SERVICE = 'emergency';

@Module({
  imports: [
    PlatformModule.forRoot({ service: SERVICE, config }),
    AuthModule.forRoot(config),
    AuditModule.forRoot({ service: SERVICE }),
    PersistenceModule.forRoot({ dbName: config.MONGO_DB, url: config.MONGO_URL }),
    MessagingModule.forRoot({
      service: SERVICE,
      brokers: config.KAFKA_BROKERS.split(','),
      // Its incident and alert streams (it follows its own: the welfare sweep and the chase run from them);
      // notifications' broadcast batches (who an alert reached); elder-care's elders (the vulnerable per
      // community); dispatch's jobs (welfare checks' job.requested go there, accepted / escalated come back).
      topics: [incidentTopic, alertTopic, broadcastTopic, elderTopic, jobTopic],
      outboxModels: [...OUTBOX_MODELS],
      consumer: {
        consumerConfig: {
          sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
        },
      },
    }),
    SchedulingModule.forRoot({
      jobs: Object.values(EmergencyJobs),
      redisUrl: config.REDIS_URL,
      runningTimeoutMs: config.SCHEDULED_WORK_RUNNING_TIMEOUT_MS,
      reconcileIntervalMs: config.SCHEDULING_RECONCILE_INTERVAL_MS,
    }),
    IncidentsModule,
    AlertsModule,
    RecipientsModule,
    WelfareModule,
  ],
})
export class AppModule {}
