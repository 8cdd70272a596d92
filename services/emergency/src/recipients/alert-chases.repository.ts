// The chase documents: one per re-send batch (`<alertId>:<seq>:resend:<n>`) and one per escalation
// (`<alertId>:<seq>:escalated`), each inserted with its event. The deterministic id is what makes a chase run
// twice emit once: the second insert is a duplicate.
import { insertAggregateOnce, type OutboxEntry } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ALERT_CHASE_MODEL } from '../models';
import { resendChaseIdOf, type AlertChaseDocument } from './recipient.schemas';

type NewChase = Omit<AlertChaseDocument, 'version' | 'outbox' | 'outboxLease'>;

@Injectable()
export class AlertChasesRepository {
  constructor(@InjectModel(ALERT_CHASE_MODEL) private readonly chases: Model<AlertChaseDocument>) {}

  /**
   * The re-send batches an earlier run of this message's chase stored (none on a first run): read by _id, batch 1,
   * 2, … until one is missing.
   */
  async resendBatches(alertId: string, sequence: number): Promise<AlertChaseDocument[]> {
    const batches: AlertChaseDocument[] = [];
    for (let batch = 1; ; batch++) {
      const document = await this.chases
        .findOne({ _id: resendChaseIdOf(alertId, sequence, batch) }, { outbox: 0, outboxLease: 0 })
        .lean<AlertChaseDocument>()
        .exec();
      if (!document) return batches;
      batches.push(document);
    }
  }

  /** Stores a chase step with its event; false when it was stored before (its event already queued). */
  insert(document: NewChase, event: OutboxEntry): Promise<boolean> {
    return insertAggregateOnce(this.chases, document, [event]);
  }
}
