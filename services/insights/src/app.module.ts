// The insights service (统计分析): read models ("facts") of the domain events and the plan's indicators computed
// from them for any node of the administrative tree and any period; CSV and XLSX files of any table. It only
// listens: it publishes no event of its own (its audit records aside).
import { AuditModule } from '@linli/audit';
import { AuthModule } from '@linli/auth';
import { MessagingModule } from '@linli/messaging';
import { PersistenceModule } from '@linli/persistence';
import { PlatformModule } from '@linli/platform';
import { Module } from '@nestjs/common';
import { config } from './config';
import { ExportsModule } from './exports/exports.module';
import { FactsModule } from './facts/facts.module';
import { IndicatorValuesModule } from './indicator-values/indicator-values.module';
import { INSIGHTS_TOPICS, SERVICE } from './topics';

export { SERVICE };

@Module({
  imports: [
    PlatformModule.forRoot({ service: SERVICE, config }),
    AuthModule.forRoot(config),
    AuditModule.forRoot({ service: SERVICE }),
    PersistenceModule.forRoot({ dbName: config.MONGO_DB, url: config.MONGO_URL }),
    MessagingModule.forRoot({
      service: SERVICE,
      brokers: config.KAFKA_BROKERS.split(','),
      topics: INSIGHTS_TOPICS,
      consumer: {
        // From the first retained event: a new (or rebuilt) insights reads every topic from the start.
        fromBeginning: true,
        consumerConfig: {
          sessionTimeout: config.CONSUMER_SESSION_TIMEOUT_MS,
          heartbeatInterval: config.CONSUMER_HEARTBEAT_INTERVAL_MS,
        },
      },
    }),
    FactsModule,
    IndicatorValuesModule,
    ExportsModule,
  ],
})
export class AppModule {}
