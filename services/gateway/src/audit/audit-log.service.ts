// The audit log's use cases: read it within one's jurisdiction, verify its chain.
import type { Actor } from '@linli/auth';
import { InjectConfig } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../config';
import { verifyChain, type ChainVerdict } from './audit-chain.rules';
import { AuditLogRepository } from './audit-log.repository';
import type { AuditPage, AuditQuery } from './dto/audit.dto';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class AuditLogService {
  constructor(
    private readonly log: AuditLogRepository,
    @InjectConfig() private readonly config: GatewayConfig,
  ) {}

  async list(actor: Actor, query: AuditQuery): Promise<AuditPage> {
    const page = query.page ?? 1;
    const pageSize = Math.min(query.pageSize ?? DEFAULT_PAGE_SIZE, this.config.MAX_PAGE_SIZE);
    const { entries, total } = await this.log.find(actor, {
      ...(query.actorId ? { actorId: query.actorId } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.resourceType ? { resourceType: query.resourceType } : {}),
      ...(query.resourceId ? { resourceId: query.resourceId } : {}),
      ...(query.from ? { from: new Date(query.from) } : {}),
      ...(query.to ? { to: new Date(query.to) } : {}),
      skip: (page - 1) * pageSize,
      limit: pageSize,
    });
    return {
      items: entries.map(({ _id, prevHash, hash, record }) => ({
        seq: _id,
        prevHash,
        hash,
        record: record as Record<string, unknown>,
      })),
      total,
      page,
      pageSize,
    };
  }

  /** The whole chain, whoever asks: a broken link anywhere concerns every jurisdiction after it. */
  async verify(): Promise<ChainVerdict> {
    return verifyChain((seqs) => this.log.readEntries(seqs), await this.log.headSeq());
  }
}
