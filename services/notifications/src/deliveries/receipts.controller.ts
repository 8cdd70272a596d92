// HTTP of the receipts: deliveries of a message or to a recipient, one delivery, a broadcast's progress; for the
// coordinators, supervisors and admins of the jurisdiction.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { NotFoundError } from '@linli/platform';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { config } from '../config';
import { BroadcastsService } from './broadcasts.service';
import { DeliveriesRepository } from './deliveries.repository';
import { BroadcastView, ReceiptPage, ReceiptsQuery, ReceiptView, toReceiptView } from './dto/delivery.dto';

const READERS = ['coordinator', 'supervisor', 'admin'] as const;

@ApiTags('receipts')
@ApiBearerAuth()
@Controller()
export class ReceiptsController {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly broadcasts: BroadcastsService,
  ) {}

  @Get('deliveries')
  @Roles(...READERS)
  @ApiOkResponse({ type: ReceiptPage })
  async list(@Query() query: ReceiptsQuery, @CurrentActor() actor: Actor): Promise<ReceiptPage> {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? 20, config.MAX_PAGE_SIZE);
    const items = await this.deliveries.receipts(
      actor,
      {
        messageKey: query.messageKey,
        recipientId: query.recipientId,
        status: query.status,
        channel: query.channel,
      },
      page,
      pageSize,
    );
    return { items: items.map(toReceiptView), page, pageSize };
  }

  @Get('deliveries/:deliveryId')
  @Roles(...READERS)
  @ApiOkResponse({ type: ReceiptView })
  async get(@Param('deliveryId') deliveryId: string, @CurrentActor() actor: Actor): Promise<ReceiptView> {
    const delivery = await this.deliveries.receipt(deliveryId, actor);
    if (!delivery) throw new NotFoundError('delivery', deliveryId);
    return toReceiptView(delivery);
  }

  @Get('broadcasts/:broadcastId')
  @Roles(...READERS)
  @ApiOkResponse({ type: BroadcastView })
  async broadcast(
    @Param('broadcastId') broadcastId: string,
    @CurrentActor() actor: Actor,
  ): Promise<BroadcastView> {
    const broadcast = await this.broadcasts.get(broadcastId, actor.scope());
    if (!broadcast) throw new NotFoundError('broadcast', broadcastId);
    return {
      broadcastId: broadcast._id,
      status: broadcast.status,
      recipientCount: broadcast.recipientCount,
      byChannel: broadcast.byChannel,
      startedAt: broadcast.startedAt,
      ...(broadcast.completedAt ? { completedAt: broadcast.completedAt } : {}),
    };
  }
}
