// Open311 clients and their API keys: admins create them, requests authenticate with them, and a configured demo
// key is ensured at start-up so the demo data and the README work on a fresh database.
import { ConflictError } from '@linli/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { OPEN311_CONFIG, type Open311Config } from '../open311.config';
import type { Open311ClientDocument } from './open311-client.schema';
import { Open311ClientsRepository } from './open311-clients.repository';

export const DEMO_CLIENT_NAME = 'demo';
const GENERATED_KEY_BYTES = 32;

export interface Open311ClientCreated {
  name: string;
  jurisdiction: string;
  active: boolean;
  createdAt: string;
  apiKey: string;
}

export function hashOfKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

@Injectable()
export class Open311ClientsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(Open311ClientsService.name);

  constructor(
    private readonly clients: Open311ClientsRepository,
    @Inject(OPEN311_CONFIG) private readonly config: Open311Config,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const demoKey = this.config.OPEN311_DEMO_API_KEY;
    if (demoKey) await this.ensure(DEMO_CLIENT_NAME, demoKey);
  }

  async create(command: {
    name: string;
    apiKey?: string;
    jurisdiction?: string;
  }): Promise<Open311ClientCreated> {
    const apiKey = command.apiKey ?? randomBytes(GENERATED_KEY_BYTES).toString('base64url');
    const client: Open311ClientDocument = {
      _id: randomUUID(),
      name: command.name,
      keyHash: hashOfKey(apiKey),
      jurisdiction: command.jurisdiction ?? this.config.OPEN311_AREA_CODE,
      active: true,
      createdAt: new Date(),
    };
    if (!(await this.clients.insert(client))) {
      // The name or the key is taken; which one is not said (a key must not be confirmable by trying).
      throw new ConflictError(`an Open311 client named ${command.name} or with this key already exists`);
    }
    this.logger.log({
      msg: 'open311 client created',
      client: client.name,
      jurisdiction: client.jurisdiction,
    });
    return {
      name: client.name,
      jurisdiction: client.jurisdiction,
      active: client.active,
      createdAt: client.createdAt.toISOString(),
      apiKey,
    };
  }

  /** The active client holding this key, or undefined. */
  async authenticate(apiKey: string): Promise<Open311ClientDocument | undefined> {
    return (await this.clients.findActiveByKeyHash(hashOfKey(apiKey))) ?? undefined;
  }

  /** Idempotent: creates the client, or gives the existing one this key. */
  private async ensure(name: string, apiKey: string): Promise<void> {
    const keyHash = hashOfKey(apiKey);
    const existing = await this.clients.findByName(name);
    if (existing?.keyHash === keyHash && existing.active) return;
    if (existing) await this.clients.setKey(name, keyHash);
    else await this.create({ name, apiKey }).catch((error: unknown) => this.raced(error, name, keyHash));
    this.logger.log({ msg: 'open311 demo client ensured', client: name });
  }

  /** Another replica ensured it at the same moment: fine when it holds our key. */
  private async raced(error: unknown, name: string, keyHash: string): Promise<void> {
    if (!(error instanceof ConflictError)) throw error;
    if ((await this.clients.findByName(name))?.keyHash !== keyHash) throw error;
  }
}
