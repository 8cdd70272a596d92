// Who each alert reached (from notifications' broadcast batches), their acknowledgements over HTTP and by the link
// of an SMS, and the chase of the silent (re-send on the second channel, then the coordinators told).
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ALERT_CHASE_MODEL, ALERT_MESSAGE_MODEL, ALERT_RECIPIENT_MODEL } from '../models';
import { AcknowledgementsController } from './acknowledgements.controller';
import { AcknowledgementsService } from './acknowledgements.service';
import { AlertChasesRepository } from './alert-chases.repository';
import { AlertAcknowledgeByProcessor, AlertSilentAfterProcessor } from './alert-deadline.processors';
import { AlertMessagesRepository } from './alert-messages.repository';
import { AlertMessagesService } from './alert-messages.service';
import { AlertRecipientsRepository } from './alert-recipients.repository';
import { ChaseService } from './chase.service';
import { alertChaseSchema, alertMessageSchema, alertRecipientSchema } from './recipient.schemas';
import { RecipientsConsumer } from './recipients.consumer';
import { RecipientsController } from './recipients.controller';
import { RecipientsService } from './recipients.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: ALERT_MESSAGE_MODEL, schema: alertMessageSchema },
      { name: ALERT_RECIPIENT_MODEL, schema: alertRecipientSchema },
      { name: ALERT_CHASE_MODEL, schema: alertChaseSchema },
    ]),
  ],
  controllers: [AcknowledgementsController, RecipientsController],
  providers: [
    AlertMessagesRepository,
    AlertRecipientsRepository,
    AlertChasesRepository,
    AlertMessagesService,
    AcknowledgementsService,
    RecipientsService,
    ChaseService,
    RecipientsConsumer,
    AlertAcknowledgeByProcessor,
    AlertSilentAfterProcessor,
  ],
})
export class RecipientsModule {}
