// PersistenceModule: one service's mongoose connection to its own database, with a `mongodb` readiness check.
import { DynamicModule, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import { ReadinessRegistry } from '@linli/platform';
import type { Connection } from 'mongoose';
import { jurisdictionScopePlugin } from './jurisdiction-scope.plugin';
import { MongoUnavailableError } from './persistence.errors';
import { personalDataCipherFromEnv } from './personal-data-cipher';
import { enablePersonalDataEncryption } from './personal-data.plugin';
import {
  PersistenceModuleOptions,
  ResolvedPersistenceOptions,
  resolvePersistenceOptions,
} from './persistence.options';

export const PERSISTENCE_OPTIONS = Symbol('PERSISTENCE_OPTIONS');
export const MONGODB_READINESS_CHECK = 'mongodb';

const CONNECTED = 1;

/** Pings the server, bounded: a hung socket must fail readiness, not hang /health/ready. */
export async function pingMongo(connection: Connection, timeoutMs: number): Promise<void> {
  if (connection.readyState !== CONNECTED || !connection.db) {
    throw new MongoUnavailableError(`mongodb connection is not open (readyState ${connection.readyState})`);
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MongoUnavailableError(`mongodb ping took over ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([connection.db.admin().ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Registers the `mongodb` check; the registry is optional because tests often run without the platform module. */
export class MongoReadiness implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly options: ResolvedPersistenceOptions,
    private readonly connection: Connection,
    private readonly readiness?: ReadinessRegistry,
  ) {}

  get checkName(): string {
    return this.options.connectionName
      ? `${MONGODB_READINESS_CHECK}:${this.options.connectionName}`
      : MONGODB_READINESS_CHECK;
  }

  onModuleInit(): void {
    this.readiness?.register({
      name: this.checkName,
      check: () => pingMongo(this.connection, this.options.readinessTimeoutMs),
    });
  }

  onModuleDestroy(): void {
    this.readiness?.unregister(this.checkName);
  }
}

@Module({})
export class PersistenceModule {
  /** The connection is global (as @nestjs/mongoose makes it): feature modules use `MongooseModule.forFeature`. */
  static forRoot(options: PersistenceModuleOptions): DynamicModule {
    const resolved = resolvePersistenceOptions(options);
    const connectionToken = getConnectionToken(resolved.connectionName);
    // Built here, at import of the app module, so a bad PERSONAL_DATA_KEYS stops the start-up (ADR 0026).
    const cipher = personalDataCipherFromEnv();
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        MongooseModule.forRoot(resolved.url, {
          dbName: resolved.dbName,
          connectionName: resolved.connectionName,
          serverSelectionTimeoutMS: resolved.serverSelectionTimeoutMs,
          // Indexes are part of correctness here (the relay's sparse index, unique ids), so build them at start-up.
          autoIndex: true,
          // Every model of this connection gets the jurisdiction scope (ADR 0028): no repository can forget it.
          // And personal fields are sealed on write, opened on read (ADR 0026), before any model compiles.
          connectionFactory: (connection: Connection) => {
            enablePersonalDataEncryption(connection, cipher);
            return connection.plugin(jurisdictionScopePlugin);
          },
        }),
      ],
      providers: [
        { provide: PERSISTENCE_OPTIONS, useValue: resolved },
        {
          provide: MongoReadiness,
          inject: [PERSISTENCE_OPTIONS, connectionToken, { token: ReadinessRegistry, optional: true }],
          useFactory: (
            opts: ResolvedPersistenceOptions,
            connection: Connection,
            readiness?: ReadinessRegistry,
          ) => new MongoReadiness(opts, connection, readiness),
        },
      ],
      exports: [PERSISTENCE_OPTIONS, MongooseModule],
    };
  }
}
