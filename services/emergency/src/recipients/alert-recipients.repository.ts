// Every query and write of the recipient rows of alerts. Rows are found by _id (`<alertId>:<recipientId>`) on the
// hot paths (an answer, a batch of recipients); what spans an alert (the chase, the list, the board) is one query by
// alertId in _id order (mongo-java-server scans for it, real MongoDB uses the declared index).
import type { EventData, broadcastRecipientsResolved } from '@linli/contracts';
import { isDuplicateKey, notifyOutboxWrite, type OutboxEntry } from '@linli/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { AnyBulkWriteOperation, Model } from 'mongoose';
import { ALERT_RECIPIENT_MODEL } from '../models';
import {
  ANSWERABLE_STATUSES,
  CHASED_STATUSES,
  type AcknowledgementResponse,
  type RecipientStatus,
  type StatusCount,
} from './recipient.rules';
import { recipientRowIdOf, type AlertRecipientDocument } from './recipient.schemas';

/** One recipient of notifications' batch. */
export type BroadcastRecipient = EventData<typeof broadcastRecipientsResolved>['recipients'][number];

const WITHOUT_OUTBOX = { outbox: 0, outboxLease: 0 } as const;

export interface Answer {
  alertId: string;
  recipientId: string;
  jurisdiction: string;
  status: RecipientStatus;
  response: AcknowledgementResponse;
  via: NonNullable<AlertRecipientDocument['acknowledgedVia']>;
  at: Date;
  recordedBy?: string;
}

@Injectable()
export class AlertRecipientsRepository {
  constructor(@InjectModel(ALERT_RECIPIENT_MODEL) private readonly rows: Model<AlertRecipientDocument>) {}

  async get(alertId: string, recipientId: string): Promise<AlertRecipientDocument | undefined> {
    const row = await this.rows
      .findOne({ _id: recipientRowIdOf(alertId, recipientId) }, WITHOUT_OUTBOX)
      .lean<AlertRecipientDocument>()
      .exec();
    return row ?? undefined;
  }

  /**
   * One batch of notifications' recipients of a message: a row each, created pending unless it exists (a batch
   * delivered twice, a recipient reached by an earlier message, or one who answered before the batch came) — an
   * existing row is never changed, but for the kind and channels an early answer could not know. One bulk write.
   */
  async recordReached(
    alertId: string,
    jurisdiction: string,
    sequence: number,
    recipients: readonly BroadcastRecipient[],
    now: Date,
  ): Promise<{ created: number; existing: number }> {
    const operations: AnyBulkWriteOperation<AlertRecipientDocument>[] = recipients.map((recipient) => ({
      updateOne: {
        filter: { _id: recipientRowIdOf(alertId, recipient.recipientId) },
        update: {
          $setOnInsert: {
            alertId,
            recipientId: recipient.recipientId,
            jurisdiction,
            ...reachedBy(recipient),
            firstSequence: sequence,
            status: 'pending',
            createdAt: now,
            version: 0,
            outbox: [],
          },
        },
        upsert: true,
      },
    }));
    const result = await this.bulkUpsert(operations);
    const created = new Set(Object.keys(result.upsertedIds).map(Number));
    const existing = recipients.filter((_, index) => !created.has(index));
    if (existing.length > 0) {
      // Rows an answer created before its batch came have no kind: filled in once, nothing else touched.
      await this.rows.bulkWrite(
        existing.map((recipient) => ({
          updateOne: {
            filter: { _id: recipientRowIdOf(alertId, recipient.recipientId), kind: { $exists: false } },
            update: { $set: { ...reachedBy(recipient), firstSequence: sequence } },
          },
        })),
        { ordered: false },
      );
    }
    return { created: created.size, existing: existing.length };
  }

  /**
   * The first answer of a recipient: flips a pending or silent row (or creates it, `create`, when the answer came
   * before the recipient's batch) and queues its event in the same write. Undefined when the row had an answer
   * already (another answer won).
   */
  async answer(
    answer: Answer,
    event: OutboxEntry,
    create: boolean,
  ): Promise<AlertRecipientDocument | undefined> {
    const set: Record<string, unknown> = {
      status: answer.status,
      response: answer.response,
      acknowledgedVia: answer.via,
      acknowledgedAt: answer.at,
      ...(answer.recordedBy ? { recordedBy: answer.recordedBy } : {}),
    };
    try {
      const after = await this.rows
        .findOneAndUpdate(
          {
            _id: recipientRowIdOf(answer.alertId, answer.recipientId),
            status: { $in: [...ANSWERABLE_STATUSES] },
          },
          {
            $set: set,
            $inc: { version: 1 },
            $push: { outbox: event },
            ...(create
              ? {
                  $setOnInsert: {
                    alertId: answer.alertId,
                    recipientId: answer.recipientId,
                    jurisdiction: answer.jurisdiction,
                    createdAt: answer.at,
                  },
                }
              : {}),
          },
          // The projection also makes mongo-java-server copy the document under its lock (ADR 0004).
          { upsert: create, returnDocument: 'after', projection: WITHOUT_OUTBOX, lean: true },
        )
        .exec();
      if (!after) return undefined;
      notifyOutboxWrite(this.rows.collection.collectionName);
      return after as AlertRecipientDocument;
    } catch (error) {
      // The row appeared meanwhile, already answered (its filter did not match, so the upsert tried to insert it).
      if (create && isDuplicateKey(error)) return undefined;
      throw error;
    }
  }

  /**
   * Those a chase re-sends to (no answer yet), in _id order, in one query read through a cursor: their recipient
   * ids and whether this message's chase marked them already.
   */
  async *toChase(
    alertId: string,
    batchSize: number,
  ): AsyncGenerator<{ recipientId: string; resentSequence?: number }> {
    const cursor = this.rows
      .find({ alertId, status: { $in: [...CHASED_STATUSES] } }, { _id: 1, recipientId: 1, resentSequence: 1 })
      .sort({ _id: 1 })
      .lean<AlertRecipientDocument[]>()
      .cursor({ batchSize });
    for await (const row of cursor) {
      const { recipientId, resentSequence } = row as unknown as AlertRecipientDocument;
      yield { recipientId, ...(resentSequence !== undefined ? { resentSequence } : {}) };
    }
  }

  /** Marks rows re-sent by a message's chase: one bulk write of _id updates (those who answered meanwhile kept). */
  async markResent(
    alertId: string,
    recipientIds: readonly string[],
    sequence: number,
    now: Date,
  ): Promise<void> {
    if (recipientIds.length === 0) return;
    await this.rows.bulkWrite(
      recipientIds.map((recipientId) => ({
        updateOne: {
          filter: { _id: recipientRowIdOf(alertId, recipientId), status: { $in: [...CHASED_STATUSES] } },
          update: { $set: { resentAt: now, resentSequence: sequence } },
        },
      })),
      { ordered: false },
    );
  }

  /** Those still pending at the end of the second chance become silent: one update of the alert's rows. */
  async markSilent(alertId: string, now: Date): Promise<number> {
    const result = await this.rows
      .updateMany(
        { alertId, status: 'pending' },
        { $set: { status: 'silent', silentAt: now }, $inc: { version: 1 } },
      )
      .exec();
    return result.modifiedCount;
  }

  /** The alert's rows counted by status and answer, with how many were re-sent: one aggregation. */
  async countByStatus(alertId: string): Promise<StatusCount[]> {
    const groups = await this.rows
      .aggregate<{
        _id: { status: RecipientStatus; response?: AcknowledgementResponse };
        count: number;
        resent: number;
      }>([
        { $match: { alertId } },
        {
          $group: {
            _id: { status: '$status', response: '$response' },
            count: { $sum: 1 },
            resent: { $sum: { $cond: [{ $gt: ['$resentAt', null] }, 1, 0] } },
          },
        },
      ])
      .exec();
    return groups.map(({ _id, count, resent }) => ({
      status: _id.status,
      ...(_id.response ? { response: _id.response } : {}),
      count,
      resent,
    }));
  }

  async list(
    alertId: string,
    status: RecipientStatus | undefined,
    paging: { skip: number; limit: number },
  ): Promise<{ items: AlertRecipientDocument[]; total: number }> {
    const query = { alertId, ...(status ? { status } : {}) };
    const [items, total] = await Promise.all([
      this.rows
        .find(query, WITHOUT_OUTBOX)
        .sort({ _id: 1 })
        .skip(paging.skip)
        .limit(paging.limit)
        .lean<AlertRecipientDocument[]>()
        .exec(),
      this.rows.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  /**
   * Unordered upserts by _id. Two batches naming the same new recipient at once can both try to insert it; MongoDB
   * then answers one with a duplicate key, and the row exists: the same operations again are no-ops for it.
   */
  private async bulkUpsert(
    operations: AnyBulkWriteOperation<AlertRecipientDocument>[],
  ): Promise<{ upsertedIds: Record<number, unknown> }> {
    try {
      return await this.rows.bulkWrite(operations, { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
      const onlyDuplicates =
        Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every((e) => isDuplicateKey(e));
      if (!onlyDuplicates && !isDuplicateKey(error)) throw error;
      return await this.rows.bulkWrite(operations, { ordered: false });
    }
  }
}

function reachedBy(recipient: BroadcastRecipient): Partial<AlertRecipientDocument> {
  return {
    kind: recipient.kind,
    channel: recipient.channel,
    ...(recipient.secondChannel ? { secondChannel: recipient.secondChannel } : {}),
  };
}
