// The module every Linli service imports first: configuration, logging, health, metrics, and the problem+json
// edge (global filter and ValidationPipe).
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { Registry } from 'prom-client';
import { PLATFORM_CONFIG, type CommonConfig } from './config/config';
import { ProblemFilter } from './errors/problem.filter';
import { createValidationPipe } from './errors/validation';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness.registry';
import { HttpInstrumentation } from './http/http.instrumentation';
import { loggerParams } from './logging/logger.params';
import { MetricsController } from './metrics/metrics.controller';
import { ensureDefaultMetrics, metricsRegistry } from './metrics/metrics.registry';

export interface PlatformModuleOptions<C extends CommonConfig = CommonConfig> {
  /** The service's name (`dispatch`): in every log line and the OpenAPI title. SERVICE_NAME overrides it. */
  service: string;
  /** The result of defineConfig(): injectable afterwards with @InjectConfig(). */
  config: C;
  /** Where log lines go; default stdout. Tests pass a stream to read them back. */
  logDestination?: DestinationStream;
}

export const PLATFORM_OPTIONS = Symbol('linli.platform.options');

/** The name a service runs under: SERVICE_NAME when the deployment sets it, else the name given in code. */
export function serviceNameOf(options: Pick<PlatformModuleOptions, 'service' | 'config'>): string {
  return options.config.SERVICE_NAME ?? options.service;
}

@Global()
@Module({})
export class PlatformModule {
  static forRoot<C extends CommonConfig>(options: PlatformModuleOptions<C>): DynamicModule {
    ensureDefaultMetrics();
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot(
          loggerParams({
            service: serviceNameOf(options),
            level: options.config.LOG_LEVEL,
            destination: options.logDestination,
          }),
        ),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: options },
        { provide: PLATFORM_CONFIG, useValue: options.config },
        { provide: Registry, useValue: metricsRegistry },
        ReadinessRegistry,
        HttpInstrumentation,
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
      exports: [PLATFORM_OPTIONS, PLATFORM_CONFIG, Registry, ReadinessRegistry, LoggerModule],
    };
  }
}
