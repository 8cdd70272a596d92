// The raw floor of the insights read benchmark: a bare NestJS app on Fastify whose one endpoint reads the same fact
// documents insights reads for a node (every fact collection, jurisdiction by code prefix) with a plain mongoose
// find and answers with how many it found. No auth, no validation, no arithmetic, no periods: what the framework
// and the database cost to fetch a node's facts on this machine, measured in the same run as the service.
import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import { Schema, type Connection, type Model } from 'mongoose';

/** insights' fact collections (services/insights/src/facts/fact.models.ts), by name: the floor reads them bare. */
const FACT_COLLECTIONS = [
  'ticketfacts',
  'feedbackfacts',
  'jobfacts',
  'elderfacts',
  'visitfacts',
  'casefacts',
  'alertfacts',
  'alertrecipientfacts',
];

/** What insights leaves out of a fact when it reads one (its bookkeeping): the floor reads the same fields. */
const BOOKKEEPING_HIDDEN = { _id: 0, appliedEventIds: 0, revision: 0 };

@Controller()
class FloorController {
  private readonly models: Model<unknown>[];

  constructor(@InjectConnection() connection: Connection) {
    this.models = FACT_COLLECTIONS.map((name) =>
      connection.model<unknown>(name, new Schema({}, { strict: false, collection: name })),
    );
  }

  @Get('facts')
  async facts(@Query('node') node = '320106'): Promise<Record<string, number>> {
    const filter = { jurisdiction: { $regex: `^${node.replace(/\D/g, '')}` } };
    const found = await Promise.all(
      this.models.map((model) => model.find(filter, BOOKKEEPING_HIDDEN).lean().exec()),
    );
    return Object.fromEntries(FACT_COLLECTIONS.map((name, i) => [name, found[i]?.length ?? 0]));
  }

  @Get('ready')
  ready(): { ok: true } {
    return { ok: true };
  }
}

@Module({
  imports: [
    MongooseModule.forRoot(process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017', {
      dbName: process.env['FLOOR_DB'] ?? 'bench-floor',
    }),
  ],
  controllers: [FloorController],
})
class FloorModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(FloorModule, new FastifyAdapter(), {
    logger: false,
  });
  await app.listen(Number(process.env['HTTP_PORT'] ?? 3999), process.env['HTTP_HOST'] ?? '127.0.0.1');
}
void main();
