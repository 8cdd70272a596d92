// A service whose MongoDB stops answering answers 503 with Retry-After (problem+json, nothing about the server), not
// 500, and answers again once the store is back. The store is the real MongoDB-wire server behind a TCP relay this
// test can cut: the connection drops as in an outage or a failover, which the server itself cannot be made to do
// here without stopping it for every other test.
import { Controller, Get, Module, Param, type INestApplication } from '@nestjs/common';
import { InjectModel, MongooseModule } from '@nestjs/mongoose';
import {
  CommonConfigSchema,
  NotFoundError,
  PROBLEM_CONTENT_TYPE,
  PlatformModule,
  STORE_UNAVAILABLE_DETAIL,
  STORE_UNAVAILABLE_RETRY_AFTER_S,
  bootstrapService,
  defineConfig,
} from '@linli/platform';
import { eventually } from '@linli/testing';
import { type Model, Schema } from 'mongoose';
import net from 'node:net';
import { Writable } from 'node:stream';
import { PersistenceModule } from '../src';

const mongoUrl = new URL(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');

/** A TCP relay to the Mongo server that can drop every connection and refuse new ones, then let them through again. */
class CuttableRelay {
  private readonly sockets = new Set<net.Socket>();
  private cut = false;
  private readonly server = net.createServer((client) => {
    if (this.cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(mongoUrl.port || 27017), mongoUrl.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  drop(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.cut = false;
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

interface Thing {
  _id: string;
}

@Controller('things')
class ThingsController {
  constructor(@InjectModel('Thing') private readonly things: Model<Thing>) {}

  @Get(':id')
  async one(@Param('id') id: string): Promise<Thing> {
    const thing = await this.things.findById(id).lean<Thing>().exec();
    if (!thing) throw new NotFoundError('thing', id);
    return thing;
  }
}

const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });

describe('a service whose MongoDB stops answering', () => {
  const relay = new CuttableRelay();
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await relay.listen();
    const config = defineConfig(CommonConfigSchema, { HTTP_PORT: '0', LOG_LEVEL: 'error' });
    @Module({
      imports: [
        PlatformModule.forRoot({ service: 'store-probe', config, logDestination: quiet }),
        PersistenceModule.forRoot({
          dbName: 'store-probe',
          url: `mongodb://127.0.0.1:${port}/?directConnection=true`,
          // Quicker than the default 10 s, so the outage is found within the test.
          serverSelectionTimeoutMs: 1_500,
        }),
        MongooseModule.forFeature([{ name: 'Thing', schema: new Schema<Thing>({ _id: String }) }]),
      ],
      controllers: [ThingsController],
    })
    class StoreProbeModule {}
    app = await bootstrapService(StoreProbeModule);
    baseUrl = (await app.getUrl()).replace('[::1]', 'localhost');
  });

  afterAll(async () => {
    await relay.close();
    await app?.close();
  });

  it('answers as usual while the store answers', async () => {
    expect((await fetch(`${baseUrl}/things/t-1`)).status).toBe(404);
  });

  it('answers 503 with Retry-After while it does not, naming no server', async () => {
    relay.drop();
    const response = await fetch(`${baseUrl}/things/t-1`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe(String(STORE_UNAVAILABLE_RETRY_AFTER_S));
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      detail: STORE_UNAVAILABLE_DETAIL,
      instance: '/things/t-1',
      correlationId: expect.any(String),
    });
    expect(JSON.stringify(problem)).not.toMatch(/127\.0\.0\.1|mongodb:/);
  });

  it('answers again once the store is back', async () => {
    relay.restore();
    await eventually('the service reaches its store again', async () => {
      const response = await fetch(`${baseUrl}/things/t-1`);
      return response.status === 404 ? true : undefined;
    });
  });
});
