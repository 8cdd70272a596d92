// Deliveries: the in-app inbox with unread counts and a live stream (SSE), broadcasts of alerts to an area, and
// the messages other services' events cause (an offer, a call-back due, an escalation), from templates in Chinese
// and English, one per recipient per message.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { DELIVERY_MODEL } from '../models';
import { deliverySchema } from './delivery.schema';

const models = MongooseModule.forFeature([{ name: DELIVERY_MODEL, schema: deliverySchema }]);

@Module({ imports: [models], exports: [models] })
export class DeliveriesModule {}
