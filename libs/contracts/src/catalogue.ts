// Every topic and event type of the platform in one place: what topic provisioning, the AsyncAPI document and
// tooling read. A new event is added to its `<aggregate>.events.ts` list and reaches here by that list.
import type { EventDefinition, TopicDefinition } from './registry';
import { ticketEvents, ticketTopic } from './resident-requests/ticket.events';
import { jobEvents, jobTopic } from './dispatch/job.events';
import { elderEvents, elderTopic } from './elder-care/elder.events';
import { carePlanEvents, carePlanTopic } from './elder-care/careplan.events';
import { visitEvents, visitTopic } from './elder-care/visit.events';
import { caseEvents, caseTopic } from './mediation/case.events';
import { incidentEvents, incidentTopic } from './emergency/incident.events';
import { alertEvents, alertTopic } from './emergency/alert.events';
import { deliveryEvents, deliveryTopic } from './notifications/delivery.events';
import { broadcastEvents, broadcastTopic } from './notifications/broadcast.events';
import { auditEvents, auditTopic } from './gateway/audit.events';

export const allTopics: readonly TopicDefinition[] = [
  ticketTopic,
  jobTopic,
  elderTopic,
  carePlanTopic,
  visitTopic,
  caseTopic,
  incidentTopic,
  alertTopic,
  deliveryTopic,
  broadcastTopic,
  auditTopic,
];

export const allEvents: readonly EventDefinition[] = [
  ...ticketEvents,
  ...jobEvents,
  ...elderEvents,
  ...carePlanEvents,
  ...visitEvents,
  ...caseEvents,
  ...incidentEvents,
  ...alertEvents,
  ...deliveryEvents,
  ...broadcastEvents,
  ...auditEvents,
];

const byType = new Map(allEvents.map((definition) => [definition.type, definition]));

/** The definition of a CloudEvents type (`linli.dispatch.job.accepted.v1`), or undefined when none has it. */
export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** The events that travel on a topic, in definition order; empty for an unknown topic. */
export function eventsOfTopic(topicName: string): EventDefinition[] {
  return allEvents.filter((definition) => definition.topic.name === topicName);
}
