// Writes deliveries the fast way and hands them on: one unordered insertMany per batch (a duplicate id is a
// delivery already made: nobody is told twice), the SMS and webhook ones to their channel's senders (scheduling is
// idempotent per delivery id, so a re-run hands them again harmlessly), the new in-app ones to the live stream.
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { ChannelDispatcher } from '../channels/channel-dispatcher';
import type { ContactDocument } from '../contacts/contact.schema';
import { DELIVERY_MODEL } from '../models';
import { deliveryIdOf, type DeliveryChannel, type DeliveryDocument } from './delivery.schema';
import { LiveStream, type InboxItem, type LiveMessage } from './live-stream';
import { TEMPLATES, type Language, type Rendered, type TemplateName } from './templates';

/** A recipient as a message needs it: a contact of the directory, or a bare user id (the inbox, in Chinese). */
export interface Recipient {
  recipientId: string;
  kind?: ContactDocument['kind'];
  channel: DeliveryChannel;
  language: Language;
  webhookId?: string;
}

export interface MessageSpec {
  messageKey: string;
  template: TemplateName;
  /** The template's data, given the recipient (the SMS acknowledgement link differs per person). */
  render: (recipient: Recipient) => Rendered;
  data: Record<string, string | number | boolean>;
  cause: { eventType: string; eventId: string };
  jurisdiction: string;
}

export function recipientOf(contact: ContactDocument, channel = contact.channels[0] ?? 'in-app'): Recipient {
  return {
    recipientId: contact._id,
    kind: contact.kind,
    channel,
    language: contact.language,
    ...(channel === 'webhook' && contact.webhookId ? { webhookId: contact.webhookId } : {}),
  };
}

/** A template's rendering for the given data, typed loosely for the writers. */
export function renderWith(template: TemplateName, data: object): (recipient: Recipient) => Rendered {
  const render = TEMPLATES[template] as (
    data: object,
    language: Language,
    channel: DeliveryChannel,
  ) => Rendered;
  return (recipient) => render(data, recipient.language, recipient.channel);
}

@Injectable()
export class DeliveryWriter {
  constructor(
    @InjectModel(DELIVERY_MODEL) private readonly deliveries: Model<DeliveryDocument>,
    private readonly channels: ChannelDispatcher,
    private readonly live: LiveStream,
  ) {}

  /** Writes the message to each recipient once; resolves with the ids that are new. */
  async deliver(message: MessageSpec, recipients: readonly Recipient[]): Promise<Set<string>> {
    if (recipients.length === 0) return new Set();
    const now = new Date();
    const documents: DeliveryDocument[] = recipients.map((recipient) => {
      const { title, body } = message.render(recipient);
      return {
        _id: deliveryIdOf(message.messageKey, recipient.recipientId),
        messageKey: message.messageKey,
        recipientId: recipient.recipientId,
        ...(recipient.kind ? { recipientKind: recipient.kind } : {}),
        channel: recipient.channel,
        ...(recipient.webhookId ? { webhookId: recipient.webhookId } : {}),
        template: message.template,
        language: recipient.language,
        title,
        body,
        data: message.data,
        cause: message.cause,
        jurisdiction: message.jurisdiction,
        status: recipient.channel === 'in-app' ? 'delivered' : 'queued',
        attempts: 0,
        createdAt: now,
        updatedAt: now,
        version: 0,
        outbox: [],
      };
    });
    const inserted = await this.insertNew(documents);

    const sends = documents
      .filter((document) => document.channel !== 'in-app')
      .map((document) => ({ deliveryId: document._id, channel: document.channel as 'sms' | 'webhook' }));
    await this.channels.enqueue(sends);

    const live: LiveMessage[] = documents
      .filter((document) => document.channel === 'in-app' && inserted.has(document._id))
      .map((document) => ({
        recipientId: document.recipientId,
        event: 'delivery',
        item: inboxItemOf(document),
      }));
    await this.live.publish(live);
    return inserted;
  }

  /** insertMany, unordered: every new one is written, each duplicate reported and skipped. */
  private async insertNew(documents: DeliveryDocument[]): Promise<Set<string>> {
    const failed = new Set<number>();
    try {
      await this.deliveries.collection.insertMany(documents as never[], { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as {
        index: number;
        code?: number;
        err?: { code?: number };
      }[];
      if (list.length === 0) throw error;
      for (const writeError of list) {
        if ((writeError.code ?? writeError.err?.code) !== 11000) throw error;
        failed.add(writeError.index);
      }
    }
    return new Set(documents.filter((_, index) => !failed.has(index)).map((document) => document._id));
  }
}

export function inboxItemOf(document: DeliveryDocument): InboxItem {
  return {
    deliveryId: document._id,
    template: document.template,
    title: document.title,
    body: document.body,
    data: document.data,
    createdAt: document.createdAt,
    readAt: document.readAt ?? null,
  };
}
