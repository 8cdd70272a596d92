// The notifications service: deliveries to people on channels (in-app inbox and live stream, webhooks, SMS), one
// per recipient per message, for the alerts emergency broadcasts and for what the other services' events call for.
// HTTP + Kafka consumers + Bull processors in one process.
import { AuditModule } from '@linli/audit';
import { AuthModule } from '@linli/auth';
import {
  alertTopic,
  broadcastTopic,
  caseTopic,
  deliveryTopic,
  elderTopic,
  jobTopic,
  ticketTopic,
} from '@linli/contracts';
import { MessagingModule } from '@linli/messaging';
import { PersistenceModule } from '@linli/persistence';
import { PlatformModule } from '@linli/platform';
import { SchedulingModule } from '@linli/scheduling';
import { Module } from '@nestjs/common';
import { ChannelsModule } from './channels/channels.module';
import { config } from './config';
import { ContactsModule } from './contacts/contacts.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { OUTBOX_MODELS } from './models';
import { NotificationJobs } from './scheduling.jobs';

export const SERVICE = 'notifications';

@Module({
  imports: [
    PlatformModule.forRoot({ service: SERVICE, config }),
    AuthModule.forRoot(config),
    AuditModule.forRoot({ service: SERVICE }),
    PersistenceModule.forRoot({ dbName: config.MONGO_DB, url: config.MONGO_URL }),
    MessagingModule.forRoot({
      service: SERVICE,
      brokers: config.KAFKA_BROKERS.split(','),
      // Its delivery and broadcast streams; what it tells people about: emergency's alerts, dispatch's offers and
      // escalations, resident-requests' call-backs due and escalations, mediation's reminders and escalations,
      // elder-care's escalations.
      topics: [deliveryTopic, broadcastTopic, alertTopic, jobTopic, ticketTopic, caseTopic, elderTopic],
      outboxModels: [...OUTBOX_MODELS],
      consumer: {
        consumerConfig: {
          sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
        },
      },
    }),
    SchedulingModule.forRoot({
      jobs: Object.values(NotificationJobs),
      redisUrl: config.REDIS_URL,
      runningTimeoutMs: config.SCHEDULED_WORK_RUNNING_TIMEOUT_MS,
      reconcileIntervalMs: config.SCHEDULING_RECONCILE_INTERVAL_MS,
    }),
    ContactsModule,
    DeliveriesModule,
    ChannelsModule,
  ],
})
export class AppModule {}
