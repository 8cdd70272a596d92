// Incidents against the real Kafka, MongoDB-wire server and Redis: declared by a coordinator (incident.declared),
// updated with the area growing (addedAreas in incident.updated) and every update kept, moved through its states
// (409 naming the state when it cannot be), closed (incident.closed); bad input refused naming the field; another
// district sees nothing.
import { incidentTopic, type CloudEvent } from '@linli/contracts';
import {
  admin,
  call,
  coordinator,
  declareIncident,
  EventProbe,
  GULOU,
  GULOU_COMMUNITY,
  GULOU_COMMUNITY_2,
  GULOU_STREET,
  operator,
  startEmergency,
  XUANWU,
  XUANWU_COMMUNITY,
  type Json,
  type ServiceProcess,
} from './support';

const TYPE = (name: string) => `linli.emergency.${name}.v1`;
const RING = [
  [118.78, 32.07],
  [118.8, 32.07],
  [118.8, 32.055],
  [118.78, 32.07],
];

describe('emergency incidents', () => {
  let emergency: ServiceProcess;
  let events: EventProbe;

  beforeAll(async () => {
    emergency = await startEmergency();
    events = await EventProbe.start({ topic: incidentTopic.name });
  });

  afterAll(async () => {
    await Promise.allSettled([emergency?.stop(), events?.stop()]);
  });

  const eventsOf = async (incidentId: string, type: string, count = 1): Promise<CloudEvent<Json>[]> =>
    (await events.waitFor((e) => e.subject === incidentId && e.type === TYPE(type), {
      count,
      timeoutMs: 15_000,
    })) as CloudEvent<Json>[];

  it('declares an incident in Gulou with its polygon and publishes incident.declared', async () => {
    const view = await declareIncident(emergency, {
      areas: [GULOU_COMMUNITY, GULOU_COMMUNITY_2],
      polygon: { type: 'Polygon', coordinates: [RING] },
    });
    expect(view.incidentId).toMatch(/^I\d{8}-\d{6}$/);
    expect(view).toMatchObject({
      version: 0,
      status: 'declared',
      kind: 'flood',
      severity: 'severe',
      areas: [GULOU_COMMUNITY, GULOU_COMMUNITY_2],
      jurisdiction: GULOU_STREET,
      source: 'coordinator',
      declaredBy: 'coord-1',
      polygon: { type: 'Polygon', coordinates: [RING] },
      history: [{ change: 'declared', actorId: 'coord-1' }],
    });
    const [declared] = await eventsOf(view.incidentId, 'incident.declared');
    expect(declared.data).toEqual({
      incidentId: view.incidentId,
      version: 0,
      jurisdiction: GULOU_STREET,
      kind: 'flood',
      severity: 'severe',
      areas: [GULOU_COMMUNITY, GULOU_COMMUNITY_2],
      hasPolygon: true,
      source: 'coordinator',
      actorId: 'coord-1',
    });
    expect(declared.jurisdiction).toBe(GULOU_STREET);

    const read = await call(emergency, 'GET', `/incidents/${view.incidentId}`, operator());
    expect(read.status).toBe(200);
    expect(read.body.incidentId).toBe(view.incidentId);
    const list = await call(emergency, 'GET', '/incidents?status=declared', operator());
    expect(list.body.items.map((item: Json) => item.incidentId)).toContain(view.incidentId);
  });

  it('updates: the area grows (addedAreas), shrinks, every update kept; a stale version is a 409', async () => {
    const { incidentId } = await declareIncident(emergency);
    const grown = await call(emergency, 'POST', `/incidents/${incidentId}/updates`, coordinator(), {
      version: 0,
      severity: 'extreme',
      areas: [GULOU_COMMUNITY, '320106002'],
    });
    expect(grown.status).toBe(200);
    expect(grown.body).toMatchObject({
      version: 1,
      severity: 'extreme',
      jurisdiction: GULOU,
    });
    const [updated] = await eventsOf(incidentId, 'incident.updated');
    expect(updated.data).toMatchObject({
      version: 1,
      status: 'declared',
      severity: 'extreme',
      areas: [GULOU_COMMUNITY, '320106002'],
      addedAreas: ['320106002'],
      actorId: 'coord-1',
    });
    // The declaring level moved up to the district, since the area left the community.
    expect(updated.data.jurisdiction).toBe(GULOU);

    const stale = await call(emergency, 'POST', `/incidents/${incidentId}/updates`, coordinator(), {
      version: 0,
      description: 'again',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.current).toEqual({ status: 'declared', version: 1 });

    const shrunk = await call(emergency, 'POST', `/incidents/${incidentId}/updates`, coordinator(), {
      areas: [GULOU_COMMUNITY],
    });
    expect(shrunk.status).toBe(200);
    const [, second] = await eventsOf(incidentId, 'incident.updated', 2);
    expect(second.data).toMatchObject({ version: 2, areas: [GULOU_COMMUNITY], addedAreas: [] });
    expect(shrunk.body.history.map((h: Json) => h.change)).toEqual(['declared', 'updated', 'updated']);
    expect(shrunk.body.history[1]).toMatchObject({ addedAreas: ['320106002'], severity: 'extreme' });
    expect(shrunk.body.history[2]).toMatchObject({ removedAreas: ['320106002'] });
  });

  it('moves declared → active → all-clear → closed; a wrong move is a 409 naming the state', async () => {
    const { incidentId } = await declareIncident(emergency);
    const allClearFirst = await call(emergency, 'POST', `/incidents/${incidentId}/activate`, coordinator());
    expect(allClearFirst.body).toMatchObject({ status: 'active', version: 1 });
    const again = await call(emergency, 'POST', `/incidents/${incidentId}/activate`, coordinator());
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/active/);
    expect(
      (await call(emergency, 'POST', `/incidents/${incidentId}/all-clear`, coordinator())).body.status,
    ).toBe('all-clear');
    const closed = await call(emergency, 'POST', `/incidents/${incidentId}/close`, coordinator(), {
      reason: 'all-clear',
    });
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'all-clear', version: 3 });
    const [event] = await eventsOf(incidentId, 'incident.closed');
    expect(event.data).toMatchObject({ incidentId, version: 3, reason: 'all-clear', actorId: 'coord-1' });
    await eventsOf(incidentId, 'incident.updated', 2);

    const update = await call(emergency, 'POST', `/incidents/${incidentId}/updates`, coordinator(), {
      severity: 'minor',
    });
    expect(update.status).toBe(409);
    expect(update.body.detail).toMatch(/closed/);
    const reclose = await call(emergency, 'POST', `/incidents/${incidentId}/close`, coordinator(), {
      reason: 'false-alarm',
    });
    expect(reclose.status).toBe(409);
    const alert = await call(emergency, 'POST', `/incidents/${incidentId}/alerts`, coordinator(), {
      audiences: ['residents'],
      headline: 'h',
      description: 'd',
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'likely',
    });
    expect(alert.status).toBe(409);
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const bad = async (body: Json, field: string) => {
      const response = await call(emergency, 'POST', '/incidents', coordinator(), {
        kind: 'flood',
        severity: 'severe',
        title: 't',
        description: 'd',
        areas: [GULOU_COMMUNITY],
        ...body,
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(response.body.errors.map((e: Json) => e.field)).toContain(field);
    };
    await bad({ kind: 'meteor' }, 'kind');
    await bad({ areas: [] }, 'areas');
    await bad({ areas: ['999999'] }, 'areas');
    await bad({ areas: [XUANWU_COMMUNITY] }, 'areas[0]');
    await bad({ title: 'x'.repeat(201) }, 'title');
    await bad({ extra: 1 }, 'extra');
    await bad(
      { polygon: { type: 'Polygon', coordinates: [RING.slice(0, 3).concat([[118.79, 32.06]])] } },
      'polygon.coordinates[0]',
    );
    await bad(
      { polygon: { type: 'Polygon', coordinates: [[[200, 32], ...RING.slice(1, 3), [200, 32]]] } },
      'polygon.coordinates[0][0]',
    );
    const list = await call(emergency, 'GET', '/incidents?pageSize=500', admin());
    expect(list.body.items.every((item: Json) => item.title !== 't')).toBe(true);
  });

  it('another district sees nothing (404), an operator may read but not write, no token is a 401', async () => {
    const { incidentId } = await declareIncident(emergency);
    expect((await call(emergency, 'GET', `/incidents/${incidentId}`, coordinator(XUANWU))).status).toBe(404);
    expect(
      (await call(emergency, 'POST', `/incidents/${incidentId}/activate`, coordinator(XUANWU))).status,
    ).toBe(404);
    const theirs = await call(emergency, 'GET', '/incidents', coordinator(XUANWU));
    expect(theirs.body.items.map((item: Json) => item.incidentId)).not.toContain(incidentId);
    expect((await call(emergency, 'POST', `/incidents/${incidentId}/activate`, operator())).status).toBe(403);
    expect((await call(emergency, 'GET', `/incidents/${incidentId}`)).status).toBe(401);
  });
});
