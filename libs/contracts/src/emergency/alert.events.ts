// The alert stream of emergency: CAP 1.2 alerts broadcast to an area, their acknowledgements, and the chase of
// those not acknowledged. No personal data (names, phones, id numbers, addresses) travels here; the headline
// and instruction are public broadcast text.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, DateTime, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';
import { AffectedAreas, SEVERITIES } from './incident.events';

export const alertTopic = defineTopic(
  'emergency',
  'alert',
  1,
  'Emergency alerts and acknowledgements, keyed by alert id',
);

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
  'all-clear',
  'none',
] as const;
export const ACKNOWLEDGEMENT_CHANNELS = ['app', 'web', 'sms', 'phone', 'in-person'] as const;
export const ALERT_ESCALATION_REASONS = ['unacknowledged', 'needs-help', 'manual'] as const;
/** CAP keeps headlines short (under 160 characters) so they fit an SMS. */
const MAX_HEADLINE = 160;
const MAX_INSTRUCTION = 1000;

const alertRef = {
  alertId: Id('Alert id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the level that issued the alert'),
  incidentId: Id(),
};

export const alertIssued = defineEvent(
  alertTopic,
  'alert.issued',
  StrictObject({
    ...alertRef,
    areas: AffectedAreas(),
    urgency: StringEnum(ALERT_URGENCIES),
    severity: StringEnum(SEVERITIES),
    certainty: StringEnum(ALERT_CERTAINTIES),
    response: StringEnum(ALERT_RESPONSES),
    headline: Type.String({ minLength: 1, maxLength: MAX_HEADLINE }),
    instruction: Type.Optional(Type.String({ maxLength: MAX_INSTRUCTION })),
    acknowledgeBy: DateTime('Recipients who have not acknowledged by then are chased'),
    expiresAt: DateTime(),
    actorId: ActorId(),
  }),
  'An alert was broadcast to everyone concerned in its areas.',
);

export const alertAcknowledged = defineEvent(
  alertTopic,
  'alert.acknowledged',
  StrictObject({
    ...alertRef,
    recipientId: Id('User id of who acknowledged'),
    channel: StringEnum(ACKNOWLEDGEMENT_CHANNELS),
    needsHelp: Type.Boolean({ description: 'The recipient asked for help rather than reporting safe' }),
  }),
  'A recipient acknowledged the alert.',
);

export const alertEscalated = defineEvent(
  alertTopic,
  'alert.escalated',
  StrictObject({
    ...alertRef,
    reason: StringEnum(ALERT_ESCALATION_REASONS),
    level: Type.Integer({ minimum: 1 }),
    unacknowledgedCount: Type.Integer({ minimum: 0 }),
    actorId: Type.Optional(ActorId()),
  }),
  'Recipients did not acknowledge in time (or asked for help); the chase moves up a level.',
);

export const alertEvents = [alertIssued, alertAcknowledged, alertEscalated] as const;
