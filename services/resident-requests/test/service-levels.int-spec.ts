// Service levels (时限) with every duration shortened by configuration (SERVICE_LEVEL_TIME_SCALE): a ticket nobody
// takes breaches its accept deadline and then its resolve deadline, each escalated exactly once, and every list
// shows it.
import { ticketTopic, type CloudEvent } from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import { call, hotlineTicket, operator, startRequests, ticketWhen, type Json } from './support';

const ESCALATED = 'linli.resident-requests.ticket.escalated.v1';

describe('resident-requests: service levels', () => {
  let service: ServiceProcess;
  let tickets: EventProbe;

  beforeAll(async () => {
    // General priority: accepted within 2 h → 72 ms, resolved within 7 days → about 6 s.
    service = await startRequests({ SERVICE_LEVEL_TIME_SCALE: '0.00001' });
    tickets = await EventProbe.start({ topic: ticketTopic.name });
  });
  afterAll(async () => {
    await tickets?.stop();
    await service?.stop();
    if (process.env.SHOW_SERVICE_OUTPUT) process.stderr.write(service?.output() ?? '');
  });

  it('escalates a missed accept deadline and a missed resolve deadline once each, and lists the ticket as breached', async () => {
    const created = await call(service, 'POST', '/tickets', operator(), hotlineTicket());
    expect(created.status).toBe(201);
    const { ticketId } = created.body;
    const escalation = (reason: string) => (e: CloudEvent) =>
      e.subject === ticketId && e.type === ESCALATED && (e.data as Json).reason === reason;

    const [accept] = await tickets.waitFor(escalation('accept-deadline-missed'));
    expect(accept.data).toMatchObject({ ticketId, level: 1, jurisdiction: created.body.jurisdiction });
    const [resolve] = await tickets.waitFor(escalation('resolve-deadline-missed'));
    expect(resolve.data).toMatchObject({ ticketId, level: 1 });

    const ticket = await ticketWhen(
      service,
      ticketId,
      (t) => t.serviceLevel.breaches.length === 2,
      'records both breaches',
    );
    expect(ticket.breached).toBe(true);
    expect(ticket.serviceLevel.breached).toBe(true);
    expect(ticket.serviceLevel.breaches.map((b: Json) => b.kind).sort()).toEqual(['accept', 'resolve']);
    expect(ticket.timeline.map((e: Json) => e.reason)).toEqual(
      expect.arrayContaining(['accept-deadline-missed', 'resolve-deadline-missed']),
    );

    // Exactly once per deadline, however the timers ran.
    expect(tickets.events.filter(escalation('accept-deadline-missed'))).toHaveLength(1);
    expect(tickets.events.filter(escalation('resolve-deadline-missed'))).toHaveLength(1);

    const breached = await call(service, 'GET', '/tickets?breached=true', operator());
    expect(breached.body.items.find((t: Json) => t.ticketId === ticketId)).toMatchObject({ breached: true });
    const kept = await call(service, 'GET', '/tickets?breached=false', operator());
    expect(kept.body.items.some((t: Json) => t.ticketId === ticketId)).toBe(false);
  });

  it('does not escalate the accept deadline of a ticket routed to its service, only its resolve deadline', async () => {
    const created = await call(
      service,
      'POST',
      '/tickets',
      operator(),
      hotlineTicket({ category: 'dispute', description: '邻里噪音纠纷' }),
    );
    const { ticketId } = created.body;
    await tickets.waitFor(
      (e) =>
        e.subject === ticketId &&
        e.type === ESCALATED &&
        (e.data as Json).reason === 'resolve-deadline-missed',
    );
    expect(
      tickets.events.filter(
        (e) =>
          e.subject === ticketId &&
          e.type === ESCALATED &&
          (e.data as Json).reason === 'accept-deadline-missed',
      ),
    ).toHaveLength(0);
  });
});
