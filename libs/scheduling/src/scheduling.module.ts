// SchedulingModule: Bull queues on Redis, with every scheduled thing also in the service's MongoDB (see README.md).
import { DynamicModule, Module, ModuleMetadata, Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { ProcessorCatalogue } from './processor.catalogue';
import { Scheduler } from './scheduler.service';
import { ScheduledWorkRepository } from './scheduled-work.repository';
import { SchedulingMetrics } from './scheduling.metrics';
import {
  SCHEDULING_OPTIONS,
  ResolvedSchedulingOptions,
  SchedulingModuleOptions,
  resolveSchedulingOptions,
} from './scheduling.options';
import { SchedulingQueues } from './scheduling.queues';
import { SchedulingRuntime } from './scheduling.runtime';

export interface SchedulingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  /** The mongoose connection is resolved before the factory runs, so it is named here, not in the factory. */
  connectionName?: string;
  inject?: unknown[];
  useFactory: (...args: never[]) => SchedulingModuleOptions | Promise<SchedulingModuleOptions>;
}

@Module({})
export class SchedulingModule {
  /** Global, so feature modules inject `Scheduler` and declare processors without importing this again. */
  static forRoot(options: SchedulingModuleOptions): DynamicModule {
    return SchedulingModule.build(
      { provide: SCHEDULING_OPTIONS, useValue: resolveSchedulingOptions(options) },
      options.connectionName,
      [],
    );
  }

  static forRootAsync(options: SchedulingModuleAsyncOptions): DynamicModule {
    return SchedulingModule.build(
      {
        provide: SCHEDULING_OPTIONS,
        inject: (options.inject ?? []) as never[],
        useFactory: async (...args: never[]) =>
          resolveSchedulingOptions({
            ...(await options.useFactory(...args)),
            connectionName: options.connectionName,
          }),
      },
      options.connectionName,
      options.imports ?? [],
    );
  }

  private static build(
    optionsProvider: Provider,
    connectionName: string | undefined,
    imports: NonNullable<ModuleMetadata['imports']>,
  ): DynamicModule {
    return {
      module: SchedulingModule,
      global: true,
      imports: [DiscoveryModule, ...imports],
      providers: [
        optionsProvider,
        {
          provide: ScheduledWorkRepository,
          inject: [getConnectionToken(connectionName)],
          useFactory: (connection: Connection) => new ScheduledWorkRepository(connection),
        },
        {
          provide: SchedulingQueues,
          inject: [SCHEDULING_OPTIONS],
          useFactory: (resolved: ResolvedSchedulingOptions) => new SchedulingQueues(resolved),
        },
        {
          provide: SchedulingMetrics,
          inject: [SCHEDULING_OPTIONS, SchedulingQueues],
          useFactory: (resolved: ResolvedSchedulingOptions, queues: SchedulingQueues) =>
            new SchedulingMetrics(queues, resolved.readinessTimeoutMs, resolved.metricsRegistry),
        },
        ProcessorCatalogue,
        Scheduler,
        SchedulingRuntime,
      ],
      exports: [Scheduler, SchedulingRuntime, SCHEDULING_OPTIONS],
    };
  }
}
