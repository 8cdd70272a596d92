// The default SMS adapter: records the message in the recorded-sms collection instead of sending it, so development
// machines and tests never text a real phone; GET /sms/recorded shows what would have gone out (phone masked).
import { maskPhone } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { RECORDED_SMS_MODEL } from '../../models';
import type { RecordedSmsDocument } from './recorded-sms.schema';
import type { SmsAdapter, SmsMessage, SmsReceipt } from './sms.adapter';

@Injectable()
export class RecordingSmsAdapter implements SmsAdapter {
  readonly name = 'record';

  constructor(@InjectModel(RECORDED_SMS_MODEL) private readonly recorded: Model<RecordedSmsDocument>) {}

  async send(message: SmsMessage): Promise<SmsReceipt> {
    // Keyed by the delivery id: a send retried after a crash records the message once.
    await this.recorded.updateOne(
      { _id: message.deliveryId },
      {
        $setOnInsert: {
          contactId: message.contactId,
          to: message.to,
          toMasked: maskPhone(message.to),
          text: message.text,
          jurisdiction: message.jurisdiction,
          recordedAt: new Date(),
        },
      },
      { upsert: true },
    );
    return { gatewayMessageId: `recorded:${message.deliveryId}` };
  }
}
