// The channels beyond the inbox: webhooks (registered endpoints, HMAC-signed, retried with backoff, private and
// loopback targets refused unless configured) and SMS through an adapter; per-channel rate limits across
// instances. deliveries/ hands it SMS and webhook deliveries through ChannelDispatcher.
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { config } from '../config';
import { contactSchema } from '../contacts/contact.schema';
import { deliverySchema } from '../deliveries/delivery.schema';
import { CONTACT_MODEL, DELIVERY_MODEL, RECORDED_SMS_MODEL, WEBHOOK_MODEL } from '../models';
import { ChannelDeliveriesRepository } from './channel-deliveries.repository';
import { ChannelDispatcher } from './channel-dispatcher';
import { ChannelRateLimiter } from './channel-rate.limiter';
import { SmsSendProcessor, WebhookSendProcessor } from './channel-senders.processors';
import { HttpSmsAdapter } from './sms/http.sms-adapter';
import { RecordedSmsController } from './sms/recorded-sms.controller';
import { recordedSmsSchema } from './sms/recorded-sms.schema';
import { RecordingSmsAdapter } from './sms/recording.sms-adapter';
import { SMS_ADAPTER } from './sms/sms.adapter';
import { SmsSender } from './sms/sms-sender';
import { webhookSchema } from './webhooks/webhook.schema';
import { WebhookSender } from './webhooks/webhook-sender';
import { WebhookTargets } from './webhooks/webhook-targets';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

// The same schema objects as contacts/ and deliveries/ register: mongoose keeps one model per name.
const models = MongooseModule.forFeature([
  { name: WEBHOOK_MODEL, schema: webhookSchema },
  { name: RECORDED_SMS_MODEL, schema: recordedSmsSchema },
  { name: DELIVERY_MODEL, schema: deliverySchema },
  { name: CONTACT_MODEL, schema: contactSchema },
]);

@Module({
  imports: [models],
  controllers: [WebhooksController, RecordedSmsController],
  providers: [
    ChannelDispatcher,
    ChannelDeliveriesRepository,
    ChannelRateLimiter,
    WebhookTargets,
    WebhooksRepository,
    WebhooksService,
    WebhookSender,
    SmsSender,
    RecordingSmsAdapter,
    HttpSmsAdapter,
    {
      provide: SMS_ADAPTER,
      useFactory: (recording: RecordingSmsAdapter, http: HttpSmsAdapter) =>
        config.SMS_ADAPTER === 'http' ? http : recording,
      inject: [RecordingSmsAdapter, HttpSmsAdapter],
    },
    SmsSendProcessor,
    WebhookSendProcessor,
  ],
  // WebhooksRepository: contacts/ checks that a contact's webhookId names an active webhook the actor may use.
  exports: [ChannelDispatcher, WebhooksRepository],
})
export class ChannelsModule {}
