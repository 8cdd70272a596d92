// Who each alert reached (from notifications' broadcast batches), their acknowledgements over HTTP, and the chase
// of the silent.
import { Module } from '@nestjs/common';
import { AlertAcknowledgeByProcessor, AlertSilentAfterProcessor } from './alert-deadline.processors';

@Module({ providers: [AlertAcknowledgeByProcessor, AlertSilentAfterProcessor] })
export class RecipientsModule {}
