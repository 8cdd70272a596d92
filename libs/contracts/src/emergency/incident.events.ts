// The incident stream of emergency (社区应急): an incident declared for an area, updated (its severity, its area,
// its state: declared → active → all-clear), then closed. No personal data (names, phones, id numbers, addresses)
// travels here.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import { ActorId, AggregateVersion, Id, Jurisdiction, StrictObject, StringEnum } from '../fields';

export const incidentTopic = defineTopic(
  'emergency',
  'incident',
  1,
  'Emergency incidents, keyed by incident id',
);

/** 洪涝 / 台风 / 火灾 / 燃气泄漏 / 地震 / 疫情 / 社会治安 / 其他. */
export const INCIDENT_KINDS = [
  'flood',
  'typhoon',
  'fire',
  'gas-leak',
  'earthquake',
  'epidemic',
  'public-security',
  'other',
] as const;
/** CAP 1.2 severity, lower-cased. */
export const SEVERITIES = ['extreme', 'severe', 'moderate', 'minor', 'unknown'] as const;
/** The states an incident goes through before it is closed. */
export const INCIDENT_STATUSES = ['declared', 'active', 'all-clear', 'closed'] as const;
export const INCIDENT_CLOSE_REASONS = ['all-clear', 'false-alarm'] as const;
/** Declared by a coordinator, or from a CAP 1.2 alert of an upstream authority posted in. */
export const INCIDENT_SOURCES = ['coordinator', 'cap-import'] as const;
/** An incident covering more areas than this is declared at the level above. */
export const MAX_INCIDENT_AREAS = 200;

/** Codes of the areas concerned: the whole current list, so a consumer replaces its copy. */
export const AffectedAreas = (description = 'Codes of the affected areas (the whole current list)') =>
  Type.Array(Jurisdiction('Code of an affected area'), {
    minItems: 1,
    maxItems: MAX_INCIDENT_AREAS,
    uniqueItems: true,
    description,
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
    hasPolygon: Type.Boolean({ description: 'The area is also drawn as a polygon (read it from the API)' }),
    source: StringEnum(INCIDENT_SOURCES),
    actorId: ActorId(),
  }),
  'A coordinator declared an incident for one or more areas; welfare checks on the vulnerable follow.',
);

export const incidentUpdated = defineEvent(
  incidentTopic,
  'incident.updated',
  StrictObject({
    ...incidentRef,
    status: StringEnum(INCIDENT_STATUSES),
    severity: StringEnum(SEVERITIES),
    areas: AffectedAreas(),
    addedAreas: Type.Array(Jurisdiction(), {
      maxItems: MAX_INCIDENT_AREAS,
      uniqueItems: true,
      description: 'Areas this update added (the area grew); empty when it did not',
    }),
    actorId: ActorId(),
  }),
  'The incident’s state, severity or areas changed (a full copy of each, not a patch).',
);

export const incidentClosed = defineEvent(
  incidentTopic,
  'incident.closed',
  StrictObject({ ...incidentRef, reason: StringEnum(INCIDENT_CLOSE_REASONS), actorId: ActorId() }),
  'The incident is over; its open welfare checks are withdrawn.',
);

export const incidentEvents = [incidentDeclared, incidentUpdated, incidentClosed] as const;
