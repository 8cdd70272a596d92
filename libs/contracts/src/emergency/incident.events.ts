// The incident stream of emergency (社区应急): an incident declared for an area, updated, then the all-clear.
// No personal data (names, phones, id numbers, addresses) travels here.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';

export const incidentTopic = defineTopic(
  'emergency',
  'incident',
  1,
  'Emergency incidents, keyed by incident id',
);

export const INCIDENT_KINDS = [
  'flood',
  'fire',
  'gas-leak',
  'epidemic',
  'earthquake',
  'storm',
  'other',
] as const;
/** CAP 1.2 severity, lower-cased. */
export const SEVERITIES = ['extreme', 'severe', 'moderate', 'minor', 'unknown'] as const;
export const INCIDENT_CLOSE_REASONS = ['all-clear', 'false-alarm'] as const;
/** An incident covering more areas than this is declared at the level above. */
const MAX_AREAS = 200;

/** Codes of the areas concerned: the whole current list, so a consumer replaces its copy. */
export const AffectedAreas = () =>
  Type.Array(Jurisdiction('Code of an affected area'), {
    minItems: 1,
    maxItems: MAX_AREAS,
    uniqueItems: true,
  });

const incidentRef = {
  incidentId: Id('Incident id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction('Code of the level that declared the incident; its areas lie within it'),
};

export const incidentDeclared = defineEvent(
  incidentTopic,
  'incident.declared',
  StrictObject({
    ...incidentRef,
    kind: StringEnum(INCIDENT_KINDS),
    severity: StringEnum(SEVERITIES),
    areas: AffectedAreas(),
    actorId: ActorId(),
  }),
  'A coordinator declared an incident for one or more areas; welfare checks on the vulnerable follow.',
);

export const incidentUpdated = defineEvent(
  incidentTopic,
  'incident.updated',
  StrictObject({
    ...incidentRef,
    severity: StringEnum(SEVERITIES),
    areas: AffectedAreas(),
    actorId: ActorId(),
  }),
  'The incident’s severity or areas changed.',
);

export const incidentClosed = defineEvent(
  incidentTopic,
  'incident.closed',
  StrictObject({ ...incidentRef, reason: StringEnum(INCIDENT_CLOSE_REASONS), actorId: ActorId() }),
  'The all-clear: the incident is over.',
);

export const incidentEvents = [incidentDeclared, incidentUpdated, incidentClosed] as const;
