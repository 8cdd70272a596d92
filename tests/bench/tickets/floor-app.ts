// The raw floor of the tickets benchmark: a bare NestJS app on Fastify with one endpoint that inserts the posted
// document with mongoose and answers 201. No validation, no outbox, no events, no auth: what the framework and the
// database cost on this machine, measured in the same run as the real service.
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { InjectModel, MongooseModule, Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

@Schema({ collection: 'tickets', strict: false, timestamps: true })
class Ticket {
  @Prop() description?: string;
}
const TicketSchema = SchemaFactory.createForClass(Ticket);

@Controller()
class FloorController {
  constructor(@InjectModel(Ticket.name) private readonly tickets: Model<Ticket>) {}

  @Post('tickets')
  @HttpCode(201)
  async create(@Body() body: Record<string, unknown>): Promise<{ id: string }> {
    const created = await this.tickets.create({ ...body });
    return { id: String(created._id) };
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
    MongooseModule.forFeature([{ name: Ticket.name, schema: TicketSchema }]),
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
