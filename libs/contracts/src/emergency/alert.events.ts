// The alert stream of emergency: alerts for an incident (CAP 1.2 Alert, Update and Cancel messages) broadcast to an
// area, the acknowledgements of their recipients, and the chase of those who stay silent. No personal data (names,
// phones, id numbers, addresses) travels here: recipients are ids; the headline and instruction are public
// broadcast text.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, DateTime, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';
import { AffectedAreas, SEVERITIES } from './incident.events';

export const alertTopic = defineTopic(
  'emergency',
  'alert',
  1,
  'Emergency alerts, their acknowledgements and chases, keyed by alert id',
);

/** CAP 1.2 msgType of the messages the platform sends (Ack and Error are not broadcast). */
export const ALERT_MESSAGE_TYPES = ['alert', 'update', 'cancel'] as const;
/** Who an alert is for: providers, community workers, residents who subscribed to their community's alerts. */
export const ALERT_AUDIENCES = ['providers', 'community-workers', 'residents'] as const;
/** CAP 1.2 urgency, certainty and response type, lower-cased. */
export const ALERT_URGENCIES = ['immediate', 'expected', 'future', 'past', 'unknown'] as const;
export const ALERT_CERTAINTIES = ['observed', 'likely', 'possible', 'unlikely', 'unknown'] as const;
export const ALERT_RESPONSES = [
  'shelter',
  'evacuate',
  'prepare',
  'execute',
  'avoid',
  'monitor',
  'assess',
  'all-clear',
  'none',
] as const;
export const ALERT_LANGUAGES = ['zh-CN', 'en'] as const;
/** What a recipient answered: got it, I am safe, I need help. */
export const ACKNOWLEDGEMENT_RESPONSES = ['received', 'safe', 'needs-help'] as const;
/** How the acknowledgement came in: the app or console (signed in), the link in an SMS, a call taken by staff. */
export const ACKNOWLEDGEMENT_CHANNELS = ['app', 'link', 'phone', 'in-person'] as const;
export const ALERT_ESCALATION_REASONS = ['unacknowledged', 'needs-help'] as const;
/** CAP keeps headlines short (under 160 characters) so they fit an SMS. */
export const MAX_HEADLINE = 160;
export const MAX_INSTRUCTION = 1000;
/** Recipients named in one chase event. */
export const MAX_RECIPIENTS_PER_EVENT = 500;

const alertRef = {
  alertId: Id('Alert id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the level that issued the alert'),
  incidentId: Id(),
};
const sequence = Type.Integer({
  minimum: 1,
  description: 'The message of the alert: 1 its Alert, then one more per Update and for the Cancel',
});

export const alertIssued = defineEvent(
  alertTopic,
  'alert.issued',
  StrictObject({
    ...alertRef,
    sequence,
    messageType: StringEnum(ALERT_MESSAGE_TYPES),
    audiences: Type.Array(StringEnum(ALERT_AUDIENCES), {
      minItems: 1,
      maxItems: ALERT_AUDIENCES.length,
      uniqueItems: true,
    }),
    areas: AffectedAreas('Codes of the areas whose people receive it'),
    urgency: StringEnum(ALERT_URGENCIES),
    severity: StringEnum(SEVERITIES),
    certainty: StringEnum(ALERT_CERTAINTIES),
    response: Type.Optional(StringEnum(ALERT_RESPONSES)),
    language: StringEnum(ALERT_LANGUAGES),
    headline: Type.String({ minLength: 1, maxLength: MAX_HEADLINE }),
    instruction: Type.Optional(Type.String({ maxLength: MAX_INSTRUCTION })),
    acknowledgeBy: Type.Optional(
      DateTime(
        'Recipients who have not acknowledged by then get it again on their second channel; none on a Cancel',
      ),
    ),
    expiresAt: DateTime(),
    actorId: Type.Optional(ActorId()),
  }),
  'A message of an alert (its Alert, an Update, its Cancel) is to be broadcast to everyone concerned in its areas; ' +
    'notifications resolves the recipients and delivers it.',
);

export const alertAcknowledged = defineEvent(
  alertTopic,
  'alert.acknowledged',
  StrictObject({
    ...alertRef,
    recipientId: Id('Recipient id (a user, a provider, a subscription) who acknowledged'),
    response: StringEnum(ACKNOWLEDGEMENT_RESPONSES),
    channel: StringEnum(ACKNOWLEDGEMENT_CHANNELS),
    issuedAt: DateTime('When the alert’s first message was issued (time to acknowledge = event time − this)'),
  }),
  'A recipient acknowledged the alert (once per recipient: a second answer changes nothing).',
);

export const alertResendRequested = defineEvent(
  alertTopic,
  'alert.resend-requested',
  StrictObject({
    ...alertRef,
    sequence,
    batch: Type.Integer({ minimum: 1, description: 'Number of this batch of the chase of this message' }),
    recipientIds: Type.Array(Id(), { minItems: 1, maxItems: MAX_RECIPIENTS_PER_EVENT, uniqueItems: true }),
  }),
  'Recipients had not acknowledged by the deadline: notifications sends them the message again on their second ' +
    'channel.',
);

export const alertEscalated = defineEvent(
  alertTopic,
  'alert.escalated',
  StrictObject({
    ...alertRef,
    sequence,
    reason: StringEnum(ALERT_ESCALATION_REASONS),
    unacknowledgedCount: Type.Integer({ minimum: 0 }),
    needsHelpCount: Type.Integer({ minimum: 0 }),
  }),
  'Recipients stayed silent after the second channel (or asked for help): the coordinators get the list.',
);

export const alertEvents = [alertIssued, alertAcknowledged, alertResendRequested, alertEscalated] as const;
