// The gateway's audit log: the consumer that chains every service's records, the query and verification API.
// (Recording is @linli/audit's AuditModule, imported by the app like every service's.)
import { Module } from '@nestjs/common';
import { AuditLogConsumer } from './audit-log.consumer';
import { AuditLogController } from './audit-log.controller';
import { AuditLogRepository } from './audit-log.repository';
import { AuditLogService } from './audit-log.service';

@Module({
  controllers: [AuditLogController],
  providers: [AuditLogRepository, AuditLogService, AuditLogConsumer],
})
export class AuditLogModule {}
