// The broadcast stream of notifications: who a broadcast message (an emergency alert's message) reached, in
// batches, then its total. The service that asked for the broadcast learns its recipients from here (emergency
// records each one to chase the silent). No personal data travels here: recipients are ids.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { Id, Jurisdiction, StrictObject, StringEnum } from '../fields';
import { DELIVERY_CHANNELS } from './delivery.events';

export const broadcastTopic = defineTopic(
  'notifications',
  'broadcast',
  1,
  'Recipients of broadcast messages, keyed by broadcast id',
);

/** The kinds of people in notifications' directory. */
export const CONTACT_KINDS = [
  'provider',
  'community-worker',
  'resident',
  'coordinator',
  'operator',
  'supervisor',
  'mediator',
] as const;
export const MAX_RECIPIENTS_PER_BATCH = 500;

const broadcastRef = {
  broadcastId: Id('Broadcast id (the Kafka key): `<alertId>:<sequence>` for an alert’s message'),
  jurisdiction: Jurisdiction('Code of the level that issued what is broadcast'),
  origin: StrictObject(
    {
      service: Type.Literal('emergency'),
      aggregateId: Id('The alert'),
      sequence: Type.Integer({ minimum: 1 }),
    },
    { description: 'What is broadcast' },
  ),
};

export const broadcastRecipientsResolved = defineEvent(
  broadcastTopic,
  'broadcast.recipients-resolved',
  StrictObject({
    ...broadcastRef,
    recipients: Type.Array(
      StrictObject({
        recipientId: Id('Contact id: a user, a provider, or a resident’s subscription'),
        kind: StringEnum(CONTACT_KINDS),
        channel: StringEnum(DELIVERY_CHANNELS, { description: 'The first channel it was delivered on' }),
        secondChannel: Type.Optional(StringEnum(DELIVERY_CHANNELS)),
      }),
      { minItems: 1, maxItems: MAX_RECIPIENTS_PER_BATCH },
    ),
  }),
  'A batch of recipients of a broadcast message, each with one delivery recorded (a batch may repeat after a ' +
    'crash: consumers upsert).',
);

export const broadcastCompleted = defineEvent(
  broadcastTopic,
  'broadcast.completed',
  StrictObject({
    ...broadcastRef,
    recipientCount: Type.Integer({ minimum: 0, description: 'Recipients with a delivery of this message' }),
  }),
  'Every recipient of a broadcast message has its delivery recorded.',
);

export const broadcastEvents = [broadcastRecipientsResolved, broadcastCompleted] as const;
