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
  type OnModuleInit,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import { auditTopic } from '@linli/contracts';
import {
  EventProducer,
  MESSAGING_OPTIONS,
  TopicProvisioner,
  type ResolvedMessagingOptions,
} from '@linli/messaging';
import type { Connection } from 'mongoose';
import { auditConfigFrom } from './audit.config';
import { AuditInterceptor } from './audit.interceptor';
import { AUDIT_OPTIONS, type AuditModuleOptions, type ResolvedAuditOptions } from './audit.options';
import { AuditRelay } from './audit.relay';
import { AuditOutbox } from './audit-outbox';
import { AuditTrail } from './audit-trail';
import { parseTrustedProxies } from './client-address';

/** Provisions the audit topic (the producer creates none), starts the relay after start-up, flushes it at the end. */
@Injectable()
export class AuditRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    private readonly relay: AuditRelay,
    private readonly provisioner: TopicProvisioner,
    @Optional() @Inject(MESSAGING_OPTIONS) private readonly messaging?: ResolvedMessagingOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.messaging?.provisionTopics !== false) await this.provisioner.ensure([auditTopic]);
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
