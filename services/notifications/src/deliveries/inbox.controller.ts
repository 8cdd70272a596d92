// HTTP of the signed-in user's own inbox: items, unread count, read marks, and the live stream (server-sent
// events: `delivery` for each new in-app delivery, `unread` with the count, a heartbeat comment).
import { Actor, CurrentActor } from '@linli/auth';
import { NotFoundError } from '@linli/platform';
import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { config } from '../config';
import { recipientIdOf } from '../contacts/recipient';
import { DeliveriesRepository } from './deliveries.repository';
import { inboxItemOf } from './delivery-writer';
import { InboxItemView, InboxPage, InboxQuery, UnreadView } from './dto/delivery.dto';
import { LiveStream, type LiveMessage } from './live-stream';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly live: LiveStream,
  ) {}

  @Get()
  @ApiOkResponse({ type: InboxPage, description: 'Newest first' })
  async list(@Query() query: InboxQuery, @CurrentActor() actor: Actor): Promise<InboxPage> {
    const items = await this.deliveries.inbox(recipientIdOf(actor), {
      unread: query.unread,
      before: query.before ? new Date(query.before) : undefined,
      limit: query.limit ?? 20,
    });
    return { items: items.map(inboxItemOf) };
  }

  @Get('unread-count')
  @ApiOkResponse({ type: UnreadView })
  async unread(@CurrentActor() actor: Actor): Promise<UnreadView> {
    return { unread: await this.deliveries.unreadCount(recipientIdOf(actor)) };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOkResponse({ type: UnreadView })
  async readAll(@CurrentActor() actor: Actor): Promise<UnreadView> {
    const recipientId = recipientIdOf(actor);
    await this.deliveries.markAllRead(recipientId, new Date());
    await this.live.publish([{ recipientId, event: 'unread' }]);
    return { unread: await this.deliveries.unreadCount(recipientId) };
  }

  @Post(':deliveryId/read')
  @HttpCode(200)
  @ApiOkResponse({ type: InboxItemView })
  async read(@Param('deliveryId') deliveryId: string, @CurrentActor() actor: Actor): Promise<InboxItemView> {
    const recipientId = recipientIdOf(actor);
    const delivery = await this.deliveries.markRead(recipientId, deliveryId, new Date());
    if (!delivery) throw new NotFoundError('delivery', deliveryId);
    await this.live.publish([{ recipientId, event: 'unread' }]);
    return inboxItemOf(delivery);
  }

  @Get('stream')
  @ApiProduces('text/event-stream')
  async stream(
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const recipientId = recipientIdOf(actor);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (event: string, data: unknown) =>
      raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const sendUnread = async () => send('unread', { unread: await this.deliveries.unreadCount(recipientId) });

    let unreadPending = false;
    const onMessage = (message: LiveMessage) => {
      if (message.event === 'delivery') send('delivery', message.item);
      // Counting is a query: one at a time, coalesced.
      if (unreadPending) return;
      unreadPending = true;
      setImmediate(() => {
        unreadPending = false;
        sendUnread().catch(() => undefined);
      });
    };
    const stopListening = this.live.listen(recipientId, onMessage, () => raw.end());
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), config.SSE_HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      stopListening();
    };
    request.raw.once('close', close);
    raw.once('close', close);
    raw.write(': connected\n\n');
    await sendUnread();
  }
}
