// Every service's audit records, as they arrive on the audit topic, appended to the chain. The consumer group
// records processed event ids, and the repository appends each auditId once, so a record published twice (a relay
// that crashed after its publish) or redelivered is one entry.
import { auditRecorded, type CloudEvent, type EventData } from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import { AuditLogRepository } from './audit-log.repository';

@Injectable()
export class AuditLogConsumer {
  constructor(private readonly log: AuditLogRepository) {}

  @OnEvent(auditRecorded)
  async onAuditRecorded(event: CloudEvent<EventData<typeof auditRecorded>>): Promise<void> {
    await this.log.append(event.data);
  }
}
