// The delivery stream of notifications: each message sent to a person or system outside the platform (webhook,
// SMS) and how it went. In-app deliveries are the inbox itself and are not announced one by one (a broadcast to
// 100,000 people would be 100,000 events): their receipts are read from the API. No personal data (names, phones,
// id numbers, addresses) travels here: recipients are ids.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { AggregateVersion, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';

export const deliveryTopic = defineTopic(
  'notifications',
  'delivery',
  1,
  'Deliveries to people, keyed by delivery id',
);

export const DELIVERY_CHANNELS = ['in-app', 'webhook', 'sms'] as const;
export const DELIVERY_FAILURES = [
  'unreachable',
  'rejected',
  'timeout',
  'refused-target',
  'rate-limited',
  'no-channel',
  'error',
] as const;

const deliveryRef = {
  deliveryId: Id('Delivery id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the area of what the delivery is about'),
  recipientId: Id('Contact id of the recipient (a user, a provider, a subscription, a webhook)'),
  channel: StringEnum(DELIVERY_CHANNELS),
  cause: StrictObject(
    {
      eventType: Type.String({ pattern: '^linli\\.[a-z-]+\\.[a-z-]+\\.[a-z-]+\\.v[0-9]+$' }),
      eventId: Type.String({ minLength: 1, maxLength: 128 }),
    },
    { description: 'The event that caused the delivery (e.g. an alert.issued)' },
  ),
  attempt: Type.Integer({ minimum: 1 }),
};

export const deliverySent = defineEvent(
  deliveryTopic,
  'delivery.sent',
  StrictObject(deliveryRef),
  'The message was handed to its channel.',
);

export const deliveryFailed = defineEvent(
  deliveryTopic,
  'delivery.failed',
  StrictObject({
    ...deliveryRef,
    reason: StringEnum(DELIVERY_FAILURES),
    final: Type.Boolean({ description: 'No further attempt will be made' }),
  }),
  'The message could not be delivered on this attempt.',
);

export const deliveryEvents = [deliverySent, deliveryFailed] as const;
