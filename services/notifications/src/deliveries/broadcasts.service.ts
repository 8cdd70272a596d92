// The broadcast of an emergency alert's message (alert.issued): one pass over the directory's matching contacts in
// id order, per batch one unordered insert of deliveries and one batch document carrying its
// broadcast.recipients-resolved, then broadcast.completed with the count. The chase's reminders on each
// recipient's second channel (alert.resend-requested) and the coordinators told of the silent (alert.escalated).
import {
  alertEscalated,
  alertIssued,
  alertResendRequested,
  broadcastCompleted,
  broadcastRecipientsResolved,
  createEvent,
  type CloudEvent,
  type EventData,
  type EventDefinition,
} from '@linli/contracts';
import { isDuplicateKey, notifyOutboxWrite, outboxEntry, type OutboxEntry } from '@linli/persistence';
import { currentCorrelationId } from '@linli/platform';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { config } from '../config';
import type { ContactKind } from '../contacts/contact.schema';
import { ContactsRepository } from '../contacts/contacts.repository';
import { BROADCAST_BATCH_MODEL, BROADCAST_MODEL } from '../models';
import { ackLink } from './ack-link';
import type { BroadcastBatchDocument, BroadcastDocument } from './broadcast.schema';
import { DeliveryWriter, recipientOf, renderWith, type MessageSpec, type Recipient } from './delivery-writer';
import { TEMPLATES } from './templates';

export const SOURCE = 'linli/notifications';

/** Who an alert's audience is in the directory. */
export const AUDIENCE_KINDS: Record<string, ContactKind> = {
  providers: 'provider',
  'community-workers': 'community-worker',
  residents: 'resident',
};

export const broadcastIdOf = (alertId: string, sequence: number) => `${alertId}:${sequence}`;

@Injectable()
export class BroadcastsService {
  private readonly logger = new Logger(BroadcastsService.name);

  constructor(
    @InjectModel(BROADCAST_MODEL) private readonly broadcasts: Model<BroadcastDocument>,
    @InjectModel(BROADCAST_BATCH_MODEL) private readonly batches: Model<BroadcastBatchDocument>,
    private readonly contacts: ContactsRepository,
    private readonly writer: DeliveryWriter,
  ) {}

  async get(broadcastId: string, scope: Record<string, unknown>): Promise<BroadcastDocument | null> {
    return this.broadcasts
      .findOne({ _id: broadcastId, ...scope }, { outbox: 0, outboxLease: 0 })
      .lean<BroadcastDocument>()
      .exec();
  }

  /** alert.issued: the pass. A redelivered event re-runs it unless it completed; nobody is told twice. */
  async broadcast(event: CloudEvent<EventData<typeof alertIssued>>): Promise<void> {
    const alert = event.data;
    const broadcastId = broadcastIdOf(alert.alertId, alert.sequence);
    const existing = await this.startOrFind(broadcastId, event);
    if (existing.status === 'completed') return;

    const kinds = alert.audiences
      .map((audience) => AUDIENCE_KINDS[audience])
      .filter((kind) => kind !== undefined);
    const message: MessageSpec = {
      messageKey: `alert:${broadcastId}`,
      template: 'alert-message',
      render: (recipient) =>
        TEMPLATES['alert-message'](
          {
            ...existing.message,
            ...(recipient.channel === 'sms'
              ? {
                  ackLink: ackLink(
                    config.ALERT_ACK_LINK_BASE_URL,
                    config.ALERT_ACK_LINK_KEY,
                    alert.alertId,
                    recipient.recipientId,
                  ),
                }
              : {}),
          },
          recipient.language,
          recipient.channel,
        ),
      data: { alertId: alert.alertId, incidentId: alert.incidentId, sequence: alert.sequence },
      cause: { eventType: event.type, eventId: event.id },
      jurisdiction: alert.jurisdiction,
    };

    // Resumes where an earlier run stopped: every batch written is recorded, so a pass longer than the consumer's
    // session (100,000 recipients) always progresses when the event comes again.
    let recipientCount = existing.recipientCount;
    let batch = existing.batches;
    let lastContactId = existing.lastContactId;
    const byChannel: Record<string, number> = { ...existing.byChannel };
    for await (const contacts of this.contacts.overlapping(
      kinds,
      alert.areas,
      config.BROADCAST_BATCH_SIZE,
      lastContactId,
    )) {
      const recipients = contacts.map((contact) => recipientOf(contact));
      await this.writer.deliver(message, recipients);
      await this.recordBatch(
        broadcastId,
        batch + 1,
        alert,
        contacts.map((contact) => ({
          recipientId: contact._id,
          kind: contact.kind,
          channel: contact.channels[0] ?? 'in-app',
          ...(contact.channels[1] ? { secondChannel: contact.channels[1] } : {}),
        })),
      );
      recipientCount += recipients.length;
      for (const recipient of recipients)
        byChannel[recipient.channel] = (byChannel[recipient.channel] ?? 0) + 1;
      lastContactId = contacts[contacts.length - 1]?._id;
      const progressed = await this.broadcasts.collection.updateOne(
        { _id: broadcastId, status: 'resolving', batches: batch } as never,
        { $set: { recipientCount, batches: batch + 1, byChannel, lastContactId } },
      );
      // Another run of the same event got ahead (an instance still finishing after a rebalance): it carries on.
      if (progressed.matchedCount === 0) return;
      batch += 1;
    }

    const completed = this.event(broadcastCompleted, broadcastId, alert.jurisdiction, {
      broadcastId,
      jurisdiction: alert.jurisdiction,
      origin: { service: 'emergency', aggregateId: alert.alertId, sequence: alert.sequence },
      recipientCount,
    });
    await this.broadcasts.collection.updateOne(
      { _id: broadcastId, status: 'resolving', batches: batch } as never,
      {
        $set: { status: 'completed', completedAt: new Date(), recipientCount, batches: batch, byChannel },
        $inc: { version: 1 },
        $push: { outbox: completed },
      } as never,
    );
    notifyOutboxWrite(this.broadcasts.collection.collectionName);
    this.logger.log({ msg: 'broadcast completed', broadcastId, recipientCount, batches: batch });
  }

  /** alert.resend-requested: the same message again, as a reminder, on each named recipient's second channel. */
  async resend(event: CloudEvent<EventData<typeof alertResendRequested>>): Promise<void> {
    const { alertId, sequence, recipientIds, jurisdiction } = event.data;
    const broadcast = await this.get(broadcastIdOf(alertId, sequence), {});
    // Emergency chases only recipients named by our batches, so the broadcast is there; until then, retry.
    if (!broadcast) throw new Error(`broadcast ${broadcastIdOf(alertId, sequence)} not found for a re-send`);
    const contacts = await this.contacts.byIds(recipientIds);
    const recipients: Recipient[] = contacts.map((contact) =>
      recipientOf(contact, contact.channels[1] ?? contact.channels[0] ?? 'in-app'),
    );
    await this.writer.deliver(
      {
        messageKey: `alert-resend:${broadcastIdOf(alertId, sequence)}`,
        template: 'alert-reminder',
        render: (recipient) =>
          TEMPLATES['alert-reminder'](
            {
              ...broadcast.message,
              ...(recipient.channel === 'sms'
                ? {
                    ackLink: ackLink(
                      config.ALERT_ACK_LINK_BASE_URL,
                      config.ALERT_ACK_LINK_KEY,
                      alertId,
                      recipient.recipientId,
                    ),
                  }
                : {}),
            },
            recipient.language,
            recipient.channel,
          ),
        data: { alertId, sequence, reminder: true },
        cause: { eventType: event.type, eventId: event.id },
        jurisdiction,
      },
      recipients,
    );
  }

  /** alert.escalated: the coordinators whose area covers the alert's jurisdiction or one of its areas. */
  async escalate(event: CloudEvent<EventData<typeof alertEscalated>>): Promise<void> {
    const data = event.data;
    const broadcast = await this.get(broadcastIdOf(data.alertId, data.sequence), {});
    const codes = [data.jurisdiction, ...(broadcast?.areas ?? [])];
    const coordinators = await this.contacts.covering('coordinator', codes);
    const templateData = {
      alertId: data.alertId,
      ...(broadcast ? { headline: broadcast.message.headline } : {}),
      unacknowledgedCount: data.unacknowledgedCount,
      needsHelpCount: data.needsHelpCount,
      listPath: `/alerts/${data.alertId}/recipients?status=silent`,
    };
    await this.writer.deliver(
      {
        messageKey: `alert-escalated:${broadcastIdOf(data.alertId, data.sequence)}:${data.reason}`,
        template: 'alert-escalated',
        render: renderWith('alert-escalated', templateData),
        data: {
          alertId: data.alertId,
          sequence: data.sequence,
          unacknowledgedCount: data.unacknowledgedCount,
          needsHelpCount: data.needsHelpCount,
          listPath: templateData.listPath,
        },
        cause: { eventType: event.type, eventId: event.id },
        jurisdiction: data.jurisdiction,
      },
      coordinators.map((contact) => recipientOf(contact)),
    );
  }

  /** The broadcast document, created at the first delivery of its alert.issued. */
  private async startOrFind(
    broadcastId: string,
    event: CloudEvent<EventData<typeof alertIssued>>,
  ): Promise<BroadcastDocument> {
    const alert = event.data;
    const fresh: BroadcastDocument = {
      _id: broadcastId,
      alertId: alert.alertId,
      sequence: alert.sequence,
      jurisdiction: alert.jurisdiction,
      areas: alert.areas,
      audiences: alert.audiences,
      message: {
        messageType: alert.messageType,
        headline: alert.headline,
        ...(alert.instruction ? { instruction: alert.instruction } : {}),
        severity: alert.severity,
      },
      status: 'resolving',
      recipientCount: 0,
      byChannel: {},
      batches: 0,
      cause: { eventType: event.type, eventId: event.id },
      startedAt: new Date(),
      version: 0,
      outbox: [],
    };
    try {
      await this.broadcasts.collection.insertOne(fresh as never);
      return fresh;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const existing = await this.broadcasts.findOne({ _id: broadcastId }).lean<BroadcastDocument>().exec();
    if (!existing) throw new Error(`broadcast ${broadcastId} vanished`);
    return existing;
  }

  /** One batch document carrying its event; the same batch of a re-run is already there (duplicate: nothing). */
  private async recordBatch(
    broadcastId: string,
    batch: number,
    alert: EventData<typeof alertIssued>,
    recipients: EventData<typeof broadcastRecipientsResolved>['recipients'],
  ): Promise<void> {
    const entry = this.event(broadcastRecipientsResolved, broadcastId, alert.jurisdiction, {
      broadcastId,
      jurisdiction: alert.jurisdiction,
      origin: { service: 'emergency', aggregateId: alert.alertId, sequence: alert.sequence },
      recipients,
    });
    const document: BroadcastBatchDocument = {
      _id: `${broadcastId}:${batch}`,
      broadcastId,
      batch,
      recipientCount: recipients.length,
      createdAt: new Date(),
      version: 0,
      outbox: [entry],
    };
    try {
      await this.batches.collection.insertOne(document as never);
      notifyOutboxWrite(this.batches.collection.collectionName);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  private event<D extends EventDefinition>(
    definition: D,
    broadcastId: string,
    jurisdiction: string,
    data: EventData<D>,
  ): OutboxEntry {
    return outboxEntry(
      definition,
      createEvent({
        source: SOURCE,
        type: definition.type,
        subject: broadcastId,
        jurisdiction,
        data,
        ...(currentCorrelationId() ? { correlationid: currentCorrelationId() } : {}),
      }),
    );
  }
}
