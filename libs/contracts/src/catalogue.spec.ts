import { type TSchema } from '@sinclair/typebox';
import { allEvents, allTopics, eventsOfTopic, findEventDefinition } from './catalogue';
import { jobAccepted, jobTopic } from './dispatch/job.events';
import { validateEventData } from './registry';

/** Every object schema inside a schema, with its path. */
function objectSchemas(schema: TSchema, path = ''): { path: string; schema: TSchema }[] {
  const found: { path: string; schema: TSchema }[] = [];
  if (schema.type === 'object') found.push({ path: path || '/', schema });
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
    found.push(...objectSchemas(child, `${path}/${name}`));
  }
  if (schema.items) found.push(...objectSchemas(schema.items as TSchema, `${path}/items`));
  return found;
}

function propertyNames(schema: TSchema): string[] {
  return objectSchemas(schema).flatMap(({ schema: object }) => Object.keys(object.properties ?? {}));
}

/** The events DESIGN.md's services table names, by topic, and those the issues added (cancel, reopen, assignment). */
const EXPECTED: Record<string, string[]> = {
  'linli.resident-requests.ticket.v1': [
    'ticket.created',
    'ticket.triaged',
    'ticket.routed',
    'ticket.assigned',
    'ticket.started',
    'ticket.resolved',
    'ticket.closed',
    'ticket.cancelled',
    'ticket.reopened',
    'ticket.escalated',
    'feedback.recorded',
    'ticket.callback-due',
  ],
  'linli.dispatch.job.v1': [
    'job.requested',
    'job.offered',
    'job.accepted',
    'job.declined',
    'job.started',
    'job.completed',
    'job.expired',
    'job.escalated',
    'job.cancellation-requested',
    'job.progress-reported',
    'job.cancelled',
  ],
  'linli.elder-care.elder.v1': [
    'elder.registered',
    'elder.updated',
    'elder.discharged',
    'elder.escalated',
    'elder.welfare-concern-raised',
  ],
  'linli.elder-care.careplan.v1': ['careplan.changed'],
  'linli.elder-care.visit.v1': [
    'visit.scheduled',
    'visit.dispatched',
    'visit.assigned',
    'visit.checked-in',
    'visit.completed',
    'visit.finding-reported',
    'visit.missed',
    'visit.cancelled',
  ],
  'linli.mediation.case.v1': [
    'case.opened',
    'case.updated',
    'case.high-risk',
    'case.assigned',
    'case.mediator-released',
    'session.scheduled',
    'session.cancelled',
    'session.reminder-due',
    'session.held',
    'case.time-limit-extended',
    'case.escalated',
    'outcome.recorded',
    'followup.due',
    'followup.recorded',
    'case.reopened',
    'case.closed',
  ],
  'linli.emergency.incident.v1': ['incident.declared', 'incident.updated', 'incident.closed'],
  'linli.emergency.alert.v1': [
    'alert.issued',
    'alert.acknowledged',
    'alert.resend-requested',
    'alert.escalated',
  ],
  'linli.notifications.delivery.v1': ['delivery.sent', 'delivery.failed'],
  'linli.notifications.broadcast.v1': ['broadcast.recipients-resolved', 'broadcast.completed'],
  'linli.gateway.audit.v1': ['audit.recorded'],
};

describe('the event catalogue', () => {
  it('has exactly the topics and events of the design, each on its aggregate topic', () => {
    expect(allTopics.map((topic) => topic.name)).toEqual(Object.keys(EXPECTED));
    for (const [topic, names] of Object.entries(EXPECTED)) {
      expect(eventsOfTopic(topic).map((event) => event.name)).toEqual(names);
    }
  });

  it('has unique event types and unique topic names', () => {
    expect(new Set(allEvents.map((event) => event.type)).size).toBe(allEvents.length);
    expect(new Set(allTopics.map((topic) => topic.name)).size).toBe(allTopics.length);
  });

  it.each(allTopics.map((topic) => [topic.name]))(
    'topic %s follows linli.<service>.<aggregate>.v<major>',
    (name) => {
      expect(name).toMatch(/^linli\.[a-z-]+\.[a-z-]+\.v\d+$/);
    },
  );

  it.each(allEvents.map((event) => [event.type, event]))(
    '%s travels on a catalogued topic',
    (_type, event) => {
      expect(allTopics).toContain(event.topic);
      expect(event.type).toBe(`linli.${event.topic.service}.${event.name}.v${event.topic.major}`);
      expect(event.type).toMatch(/^linli\.[a-z-]+\.[a-z-]+\.[a-z-]+\.v\d+$/);
    },
  );

  it('names as producers only services that own a topic (the platform knows every sender)', () => {
    const services = new Set(allTopics.map((topic) => topic.service));
    expect(allEvents.flatMap((event) => event.producers ?? []).filter((s) => !services.has(s))).toEqual([]);
  });

  it('finds a definition by type and nothing for an unknown type', () => {
    expect(findEventDefinition('linli.dispatch.job.accepted.v1')).toBe(jobAccepted);
    expect(findEventDefinition('linli.dispatch.job.accepted.v2')).toBeUndefined();
    expect(eventsOfTopic(jobTopic.name)).toContain(jobAccepted);
    expect(eventsOfTopic('linli.nowhere.thing.v1')).toEqual([]);
  });
});

describe('every event schema', () => {
  it.each(allEvents.map((event) => [event.type, event]))(
    '%s rejects unknown fields at every level',
    (_type, event) => {
      for (const { path, schema } of objectSchemas(event.schema)) {
        expect({ path, additionalProperties: schema.additionalProperties }).toEqual({
          path,
          additionalProperties: false,
        });
      }
    },
  );

  it.each(allEvents.map((event) => [event.type, event]))('%s carries a jurisdiction code', (_type, event) => {
    expect(event.schema.required).toContain('jurisdiction');
    expect(event.schema.properties.jurisdiction.pattern).toBe('^[0-9]{2,12}$');
  });

  // Personal data stays in the owning service; payloads carry ids. A field with one of these names is a mistake.
  it.each(allEvents.map((event) => [event.type, event]))('%s has no personal-data field', (_type, event) => {
    const personal = /name$|phone|mobile|idnumber|identity|address|email|birth|gender/i;
    expect(propertyNames(event.schema).filter((name) => personal.test(name))).toEqual([]);
  });

  it.each(allEvents.map((event) => [event.type, event]))(
    '%s compiles and rejects an empty object',
    (_type, event) => {
      const result = validateEventData(event, {});
      expect(result.ok).toBe(false);
    },
  );
});
