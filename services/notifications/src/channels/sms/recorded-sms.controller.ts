// GET /sms/recorded (admin): what the `record` SMS adapter kept, by delivery or contact; phones masked.
import { Actor, CurrentActor, Roles } from '@linli/auth';
import { ValidationError } from '@linli/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Model } from 'mongoose';
import { config } from '../../config';
import { RECORDED_SMS_MODEL } from '../../models';
import { RecordedSmsList, RecordedSmsQuery } from '../dto/recorded-sms.dto';
import type { RecordedSmsDocument } from './recorded-sms.schema';

@ApiTags('sms')
@ApiBearerAuth()
@Controller('sms')
export class RecordedSmsController {
  constructor(@InjectModel(RECORDED_SMS_MODEL) private readonly recorded: Model<RecordedSmsDocument>) {}

  @Get('recorded')
  @Roles('admin')
  @ApiOkResponse({ type: RecordedSmsList, description: 'For development and tests: the record adapter only' })
  async list(@Query() query: RecordedSmsQuery, @CurrentActor() actor: Actor): Promise<RecordedSmsList> {
    if (!query.deliveryId && !query.contactId) {
      throw ValidationError.field('deliveryId', 'give deliveryId or contactId', 400);
    }
    const filter = query.deliveryId
      ? { _id: query.deliveryId, ...(query.contactId ? { contactId: query.contactId } : {}) }
      : { contactId: query.contactId };
    const found = await this.recorded
      .find({ ...filter, ...actor.scope() }, { to: 0 })
      .sort({ recordedAt: -1 })
      .limit(config.MAX_PAGE_SIZE)
      .lean<RecordedSmsDocument[]>()
      .exec();
    return {
      items: found.map((sms) => ({
        deliveryId: sms._id,
        contactId: sms.contactId,
        to: sms.toMasked,
        text: sms.text,
        recordedAt: sms.recordedAt.toISOString(),
      })),
    };
  }
}
