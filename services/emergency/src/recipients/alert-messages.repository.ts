// The alert messages recipients/ has seen on the alert stream (never the alerts module's own collection): where each
// alert is (its jurisdiction and areas, for scoping), its deadlines, and how far each message's broadcast got.
import type { CloudEvent, EventData, alertIssued } from '@linli/contracts';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ALERT_MESSAGE_MODEL } from '../models';
import { messageIdOf, type AlertMessageDocument } from './recipient.schemas';

@Injectable()
export class AlertMessagesRepository {
  constructor(@InjectModel(ALERT_MESSAGE_MODEL) private readonly messages: Model<AlertMessageDocument>) {}

  /** Every message of an alert, in sequence order (a handful: one query). */
  async ofAlert(alertId: string): Promise<AlertMessageDocument[]> {
    const documents = await this.messages.find({ alertId }).lean<AlertMessageDocument[]>().exec();
    return documents.sort((a, b) => a.sequence - b.sequence);
  }

  async get(alertId: string, sequence: number): Promise<AlertMessageDocument | undefined> {
    const document = await this.messages
      .findOne({ _id: messageIdOf(alertId, sequence) })
      .lean<AlertMessageDocument>()
      .exec();
    return document ?? undefined;
  }

  /**
   * Records a message from its alert.issued: the same message again writes the same values (a redelivery changes
   * nothing). `stop` records that a later message already ended its chase (seen out of order).
   */
  async record(
    event: CloudEvent<EventData<typeof alertIssued>>,
    issuedAt: Date,
    stop?: { supersededBy?: number; cancelledAt?: Date },
  ): Promise<void> {
    const data = event.data;
    const set: Partial<AlertMessageDocument> = {
      alertId: data.alertId,
      sequence: data.sequence,
      incidentId: data.incidentId,
      jurisdiction: data.jurisdiction,
      areas: [...data.areas],
      messageType: data.messageType,
      issuedAt,
      sentAt: new Date(event.time),
      expiresAt: new Date(data.expiresAt),
      version: data.version,
      ...(data.acknowledgeBy ? { acknowledgeBy: new Date(data.acknowledgeBy) } : {}),
      ...(stop?.supersededBy !== undefined ? { supersededBy: stop.supersededBy } : {}),
      ...(stop?.cancelledAt ? { cancelledAt: stop.cancelledAt } : {}),
    };
    await this.messages
      .updateOne({ _id: messageIdOf(data.alertId, data.sequence) }, { $set: set }, { upsert: true })
      .exec();
  }

  /** A later message ended this one's chase. */
  async stop(
    alertId: string,
    sequence: number,
    stop: { supersededBy?: number; cancelledAt?: Date },
  ): Promise<void> {
    await this.messages.updateOne({ _id: messageIdOf(alertId, sequence) }, { $set: stop }).exec();
  }

  /** The re-send step of the message's chase finished (kept at its first time). */
  async recordResendDone(alertId: string, sequence: number, at: Date): Promise<void> {
    await this.messages
      .updateOne(
        { _id: messageIdOf(alertId, sequence), resendDoneAt: { $exists: false } },
        { $set: { resendDoneAt: at } },
      )
      .exec();
  }

  /**
   * notifications finished resolving a message's recipients. Upserted, since notifications' stream may be read
   * before emergency's own: the alert's fields come with its alert.issued.
   */
  async recordCompleted(
    alertId: string,
    sequence: number,
    jurisdiction: string,
    recipientCount: number,
    completedAt: Date,
  ): Promise<void> {
    await this.messages
      .updateOne(
        { _id: messageIdOf(alertId, sequence) },
        { $set: { recipientCount, completedAt }, $setOnInsert: { alertId, sequence, jurisdiction } },
        { upsert: true },
      )
      .exec();
  }
}
