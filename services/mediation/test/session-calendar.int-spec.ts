// The sessions calendar (GET /sessions): a mediator's sessions of a window across the cases they hold, never
// another mediator's; supervisors see their jurisdiction's; the window is checked.
import { assignedCase, DAY_MS, HOUR_MS } from './sessions-support';
import { call, startMediation, supervisor, type Json, type ServiceProcess } from './support';

type Items = { items: Json[] };

describe('mediation: the sessions calendar', () => {
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startMediation();
  });
  afterAll(async () => {
    await service?.stop();
  });

  it("answers a mediator's sessions of the window, by time, with nothing personal", async () => {
    const mine = await assignedCase(service);
    const theirs = await assignedCase(service);
    const at = (hours: number) => new Date(Date.now() + hours * HOUR_MS).toISOString();
    const schedule = async (caseId: string, as: Record<string, string>, hours: number) => {
      const reply = await call(service, 'POST', `/cases/${caseId}/sessions`, as, {
        scheduledFor: at(hours),
        place: '宁海路街道调解室',
      });
      expect(reply.status).toBe(201);
      return reply.body.sessionId as string;
    };
    const later = await schedule(mine.caseId, mine.as, 30);
    const sooner = await schedule(mine.caseId, mine.as, 2);
    await schedule(mine.caseId, mine.as, 24 * 20); // outside the window
    await schedule(theirs.caseId, theirs.as, 3);

    const window = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(7 * 24))}`;
    const reply = await call<Items>(service, 'GET', `/sessions?${window}`, mine.as);
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((item) => `${item.caseId}/${item.sessionId}`)).toEqual([
      `${mine.caseId}/${sooner}`,
      `${mine.caseId}/${later}`,
    ]);
    expect(reply.body.items[0]).toEqual({
      caseId: mine.caseId,
      sessionId: sooner,
      scheduledFor: expect.any(String),
      place: '宁海路街道调解室',
      status: 'scheduled',
      caseType: 'neighbour',
      caseStatus: expect.any(String),
      communityCode: expect.any(String),
    });

    // A mediator cannot ask for another mediator's calendar; a supervisor can, and sees the jurisdiction's.
    const asking = await call<Items>(
      service,
      'GET',
      `/sessions?${window}&mediatorId=${theirs.mediatorId}`,
      mine.as,
    );
    expect(asking.body.items.every((item) => item.caseId === mine.caseId)).toBe(true);
    const theirsOnly = await call<Items>(
      service,
      'GET',
      `/sessions?${window}&mediatorId=${theirs.mediatorId}`,
      supervisor(),
    );
    expect(theirsOnly.body.items.map((item) => item.caseId)).toEqual([theirs.caseId]);
    const elsewhere = await call<Items>(service, 'GET', `/sessions?${window}`, supervisor('320102'));
    expect(elsewhere.body.items).toEqual([]);
  });

  it.each([
    ['no window', '', 'from'],
    ['a window ending before it starts', `from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z`, 'to'],
    [
      'a window over 42 days',
      `from=2026-01-01T00:00:00Z&to=${new Date(Date.parse('2026-01-01') + 43 * DAY_MS).toISOString()}`,
      'to',
    ],
    ['a date that is not one', 'from=yesterday&to=2026-12-01T00:00:00Z', 'from'],
  ])('refuses %s, naming the field', async (_, query, field) => {
    const reply = await call(service, 'GET', `/sessions?${query}`, supervisor());
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toContain(`"${field}"`);
  });
});
