// Deliveries: the in-app inbox with unread counts and a live stream (SSE), broadcasts of alerts to an area, and
// the messages other services' events cause (an offer, a call-back due, an escalation), from templates in Chinese
// and English, one per recipient per message. SMS and webhook deliveries are handed to channels/.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChannelsModule } from '../channels/channels.module';
import { ContactsModule } from '../contacts/contacts.module';
import { BROADCAST_BATCH_MODEL, BROADCAST_MODEL, DELIVERY_MODEL } from '../models';
import { broadcastBatchSchema, broadcastSchema } from './broadcast.schema';
import { BroadcastsService } from './broadcasts.service';
import { DeliveriesConsumer } from './deliveries.consumer';
import { DeliveriesRepository } from './deliveries.repository';
import { deliverySchema } from './delivery.schema';
import { DeliveryWriter } from './delivery-writer';
import { InboxController } from './inbox.controller';
import { LiveStream } from './live-stream';
import { MessagesService } from './messages.service';
import { ReceiptsController } from './receipts.controller';

const models = MongooseModule.forFeature([
  { name: DELIVERY_MODEL, schema: deliverySchema },
  { name: BROADCAST_MODEL, schema: broadcastSchema },
  { name: BROADCAST_BATCH_MODEL, schema: broadcastBatchSchema },
]);

@Module({
  imports: [models, ContactsModule, ChannelsModule],
  controllers: [InboxController, ReceiptsController],
  providers: [
    DeliveriesRepository,
    DeliveryWriter,
    LiveStream,
    BroadcastsService,
    MessagesService,
    DeliveriesConsumer,
  ],
  exports: [models],
})
export class DeliveriesModule {}
