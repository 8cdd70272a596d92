// The channels beyond the inbox: webhooks (registered endpoints, HMAC-signed, retried with backoff, private and
// loopback targets refused unless configured) and SMS through an adapter; per-channel rate limits.
import { Module } from '@nestjs/common';
import { SmsSendProcessor, WebhookSendProcessor } from './channel-senders.processors';

@Module({ providers: [SmsSendProcessor, WebhookSendProcessor] })
export class ChannelsModule {}
