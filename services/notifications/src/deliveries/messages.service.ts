// The other services' events as messages to people, by the routing table: the recipients resolved (a named person
// on their contact's first channel, or the inbox when they have no contact; or the contacts of a kind covering a
// place), then one delivery each, once.
import type { CloudEvent } from '@linli/contracts';
import { Injectable } from '@nestjs/common';
import { nearestCovering } from '../contacts/area.rules';
import { ContactsRepository } from '../contacts/contacts.repository';
import { DeliveryWriter, recipientOf, renderWith, type Recipient } from './delivery-writer';
import { routeOf, type RecipientRule } from './routing.rules';

@Injectable()
export class MessagesService {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly writer: DeliveryWriter,
  ) {}

  /** Tells whom the routing table names; an event with no route tells nobody. */
  async tell(event: CloudEvent): Promise<void> {
    const route = routeOf(event.type, event.data);
    if (!route) return;
    const recipients = await this.recipients(route.recipients);
    await this.writer.deliver(
      {
        messageKey: route.messageKey,
        template: route.template,
        render: renderWith(route.template, route.data),
        data: route.data,
        cause: { eventType: event.type, eventId: event.id },
        jurisdiction: route.jurisdiction,
      },
      recipients,
    );
  }

  private async recipients(rule: RecipientRule): Promise<Recipient[]> {
    if (rule.kind === 'named') {
      const [contact] = await this.contacts.byIds([rule.recipientId]);
      // A user id is enough for the inbox.
      return [
        contact
          ? recipientOf(contact)
          : { recipientId: rule.recipientId, channel: 'in-app', language: 'zh-CN' },
      ];
    }
    const covering = await this.contacts.covering(rule.contactKind, [rule.code]);
    return (rule.nearest ? nearestCovering(covering, rule.code) : covering).map((contact) =>
      recipientOf(contact),
    );
  }
}
