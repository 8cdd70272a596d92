// AuditModule.forRoot({ service }): the service's AuditTrail (records into its own `audit_outbox`), the relay that
// publishes them to the gateway's audit topic, and the global interceptor that records changes and personal reads.
import {
  Global,
  Inject,
  Injectable,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { auditTopic, type TopicDefinition } from '@linli/contracts';
import { EventProducer, MESSAGING_OPTIONS, type ResolvedMessagingOptions } from '@linli/messaging';
import type { Connection } from 'mongoose';
import { auditConfigFrom } from './audit.config';
import { AuditInterceptor } from './audit.interceptor';
import { AUDIT_OPTIONS, type AuditModuleOptions, type ResolvedAuditOptions } from './audit.options';
import { AuditRelay } from './audit.relay';
import { AuditOutbox } from './audit-outbox';
import { AuditTrail } from './audit-trail';
import { parseTrustedProxies } from './client-address';

/**
 * Starts the relay after start-up and flushes it at the end. The audit topic is provisioned with the service's own
 * topics: it is added to MessagingModule's list here, at construction, before MessagingRuntime creates what is
 * missing in one request at its init (a provisioning of its own would cost every start-up a second round trip).
 */
@Injectable()
export class AuditRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly relay: AuditRelay,
    @Optional() @Inject(MESSAGING_OPTIONS) private readonly messaging?: ResolvedMessagingOptions,
  ) {
    if (messaging && !messaging.topics.some((topic) => topic.name === auditTopic.name)) {
      (messaging as { topics: readonly TopicDefinition[] }).topics = [...messaging.topics, auditTopic];
    }
  }

  onApplicationBootstrap(): void {
    if (this.messaging?.runRelay !== false) this.relay.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.relay.stop();
  }
}

@Global()
@Module({})
export class AuditModule {
  static forRoot(options: AuditModuleOptions): DynamicModule {
    const config = options.config ?? auditConfigFrom();
    const resolved: ResolvedAuditOptions = {
      service: options.service,
      recordedByHand: new Set(options.recordedByHand ?? []),
      config,
      trustedProxies: parseTrustedProxies(config.AUDIT_TRUSTED_PROXIES),
    };
    return {
      module: AuditModule,
      global: true,
      providers: [
        { provide: AUDIT_OPTIONS, useValue: resolved },
        {
          provide: AuditOutbox,
          inject: [getConnectionToken()],
          useFactory: (connection: Connection) => new AuditOutbox(connection),
        },
        {
          provide: AuditRelay,
          inject: [AuditOutbox, EventProducer],
          useFactory: (outbox: AuditOutbox, producer: EventProducer) =>
            new AuditRelay(outbox, producer, {
              intervalMs: config.AUDIT_RELAY_INTERVAL_MS,
              idleMaxMs: config.AUDIT_RELAY_IDLE_MAX_MS,
              batchSize: config.AUDIT_RELAY_BATCH_SIZE,
              shutdownFlushMs: config.AUDIT_RELAY_SHUTDOWN_FLUSH_MS,
            }),
        },
        AuditTrail,
        AuditRuntime,
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
      ],
      exports: [AUDIT_OPTIONS, AuditTrail, AuditOutbox, AuditRelay],
    };
  }
}
