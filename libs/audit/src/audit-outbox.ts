// The service's `audit_outbox` collection: each record is one document (`_id` = auditId) written before the API
// answers, published to the gateway's audit topic by AuditRelay and then deleted. A crash between the publish and
// the delete publishes it again; the gateway appends each auditId once.
import type { CloudEvent } from '@linli/contracts';
import type { Collection, Connection } from 'mongoose';

export const AUDIT_OUTBOX_COLLECTION = 'audit_outbox';

export interface AuditOutboxDocument {
  /** The auditId, also the CloudEvent id. */
  _id: string;
  event: CloudEvent;
  /** When written: how old the backlog is, for whoever looks at a stuck outbox. */
  writtenAt: Date;
}

export class AuditOutbox {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly connection: Connection) {}

  private get collection(): Collection<AuditOutboxDocument> {
    return this.connection.collection<AuditOutboxDocument>(
      AUDIT_OUTBOX_COLLECTION,
    ) as unknown as Collection<AuditOutboxDocument>;
  }

  /** Resolves once the record is stored (acknowledged by the server); the relay is woken to publish it. */
  async add(event: CloudEvent): Promise<void> {
    await this.collection.insertOne({ _id: event.id, event, writtenAt: new Date() });
    for (const listener of this.listeners) listener();
  }

  /** Up to `limit` pending records, in no particular order (the gateway orders the chain by arrival). */
  async pending(limit: number): Promise<AuditOutboxDocument[]> {
    return this.collection.find({}, { limit }).toArray();
  }

  /** By `_id` alone, with $in: the one filter mongo-java-server serves from its index (ADR 0004). */
  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.collection.deleteMany({ _id: { $in: [...ids] } });
  }

  async count(): Promise<number> {
    return this.collection.countDocuments({});
  }

  onAdd(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
