// A dispute ticket routed to mediation (人民调解) follows the case opened from it: the mediator holding the case holds
// the ticket (and sees the resident's contact), the outcome resolves it with its call-back (回访), a withdrawal
// resolves it as not needed, a reopening is noted; every event once, however often it is delivered.
// Against the real Kafka, MongoDB-wire server and Redis; mediation's events are published as mediation would.
import {
  caseAssigned,
  caseClosed,
  caseMediatorReleased,
  caseReopened,
  outcomeRecorded,
  ticketTopic,
  type CloudEvent,
  type EventDefinition,
} from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import {
  call,
  consumed,
  eventually,
  hotlineTicket,
  Mediation,
  mediatorUser,
  operator,
  startRequests,
  ticketWhen,
  unique,
  type Json,
} from './support';

const RESOLVED = 'linli.resident-requests.ticket.resolved.v1';
/** The dispute category's call-back delay (categories.data.ts): an agreement shows whether it holds in days. */
const DISPUTE_CALLBACK_DELAY_MS = 3 * 24 * 3600 * 1000;

describe('resident-requests: a ticket follows its mediation case', () => {
  let service: ServiceProcess;
  let tickets: EventProbe;
  let mediation: Mediation;
  const delivered = new Map<string, number>();

  beforeAll(async () => {
    service = await startRequests();
    tickets = await EventProbe.start({ topic: ticketTopic.name });
    mediation = await Mediation.start();
  });
  afterAll(async () => {
    await mediation?.stop();
    await tickets?.stop();
    const code = await service?.stop();
    if (code !== 0 && code !== null) process.stderr.write(service.output());
  });

  /** Publishes a case event and waits until the consumer has handled (or skipped) every one of its type so far. */
  async function deliver(
    definition: EventDefinition,
    caseId: string,
    data: Json,
    id?: string,
  ): Promise<string> {
    const eventId = await mediation.publish(definition, caseId, data, id);
    const count = (delivered.get(definition.type) ?? 0) + 1;
    delivered.set(definition.type, count);
    await eventually(`${count} ${definition.type} consumed`, async () =>
      (await consumed(service, definition.type)) >= count ? true : undefined,
    );
    return eventId;
  }

  /** A dispute ticket from the hotline: routed to mediation, and the id of the case mediation opens for it. */
  async function disputeTicket(): Promise<{ ticketId: string; caseId: string }> {
    const created = await call(
      service,
      'POST',
      '/tickets',
      operator(),
      hotlineTicket({ category: 'dispute', description: '楼上邻居深夜噪音，多次协商无果，双方争吵' }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'routed', routedTo: 'mediation' });
    const ticketId = created.body.ticketId as string;
    return { ticketId, caseId: `C-${ticketId}` };
  }

  const assigned = (ticketId: string, mediatorId: string, extra: Json = {}) => ({
    ticketId,
    mediatorId,
    providerKind: 'social-organisation',
    via: 'dispatch',
    jobId: unique('C-job-'),
    actorId: `user-${mediatorId}`,
    ...extra,
  });
  const outcome = (ticketId: string | undefined, kind: string, extra: Json = {}) => ({
    ...(ticketId ? { ticketId } : {}),
    caseType: 'neighbour',
    outcome: kind,
    withinTimeLimit: true,
    openedAt: new Date(Date.now() - 3600_000).toISOString(),
    actorId: 'user-med',
    ...extra,
  });
  const resolvedEvents = (ticketId: string) =>
    tickets.events.filter((e: CloudEvent) => e.type === RESOLVED && e.subject === ticketId);
  const timelineOf = async (ticketId: string) =>
    (await call(service, 'GET', `/tickets/${ticketId}`, operator())).body.timeline as Json[];

  it('the case assigned: the mediator holds the routed ticket and sees the contact; released, no longer', async () => {
    const { ticketId, caseId } = await disputeTicket();
    const mediatorId = unique('med-');
    const eventId = await deliver(caseAssigned, caseId, assigned(ticketId, mediatorId));
    await deliver(caseAssigned, caseId, assigned(ticketId, mediatorId), eventId); // delivered again

    const ticket = await ticketWhen(service, ticketId, (t) => !!t.assignment, 'has its mediator');
    expect(ticket).toMatchObject({
      status: 'routed',
      assignment: { providerId: mediatorId, providerKind: 'social-organisation' },
    });
    const entries = ticket.timeline.filter((entry: Json) => entry.reason === 'case-assigned');
    expect(entries).toEqual([
      expect.objectContaining({
        from: 'routed',
        to: 'routed',
        role: 'mediation',
        note: expect.stringContaining(caseId),
      }),
    ]);

    const contact = await call(service, 'GET', `/tickets/${ticketId}/contact`, mediatorUser(mediatorId));
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ ticketId, name: '王秀英', phone: expect.stringMatching(/^139/) });
    // Anyone else acting for a provider: as if the ticket did not exist.
    expect(
      (await call(service, 'GET', `/tickets/${ticketId}/contact`, mediatorUser('med-other'))).status,
    ).toBe(404);

    // The mediator recuses (a conflict of interest): the holder is cleared, and the contact with it.
    await deliver(caseMediatorReleased, caseId, {
      ticketId,
      mediatorId,
      reason: 'conflict-of-interest',
      actorId: `user-${mediatorId}`,
    });
    const released = await ticketWhen(service, ticketId, (t) => !t.assignment, 'has no holder');
    expect(released.status).toBe('routed');
    expect(released.timeline.at(-1)).toMatchObject({
      reason: 'case-mediator-released:conflict-of-interest',
      role: 'mediation',
    });
    expect(
      (await call(service, 'GET', `/tickets/${ticketId}/contact`, mediatorUser(mediatorId))).status,
    ).toBe(404);
    expect(resolvedEvents(ticketId)).toHaveLength(0);
  });

  it('an agreement resolves the ticket as done with its call-back; a redelivery or a later outcome does nothing', async () => {
    const { ticketId, caseId } = await disputeTicket();
    const mediatorId = unique('med-');
    await deliver(caseAssigned, caseId, assigned(ticketId, mediatorId));
    const eventId = await deliver(outcomeRecorded, caseId, {
      ...outcome(ticketId, 'agreement', {
        termCount: 2,
        followUpDueAts: [new Date(Date.now() + 864e5).toISOString()],
      }),
      actorId: `user-${mediatorId}`,
    });
    await deliver(outcomeRecorded, caseId, outcome(ticketId, 'agreement'), eventId); // delivered again

    const ticket = await ticketWhen(service, ticketId, (t) => t.status === 'resolved', 'is resolved');
    expect(ticket).toMatchObject({ resolution: 'done', callback: { status: 'scheduled', attempts: 0 } });
    const resolvedAt = Date.parse(ticket.timeline.at(-1).at);
    expect(Date.parse(ticket.callback.dueAt) - resolvedAt).toBe(DISPUTE_CALLBACK_DELAY_MS);
    expect(ticket.timeline.at(-1)).toMatchObject({
      from: 'routed',
      to: 'resolved',
      reason: 'done',
      role: 'mediation',
      actorId: `user-${mediatorId}`,
      note: `case ${caseId}: agreement`,
    });
    const [event] = await tickets.waitFor((e) => e.type === RESOLVED && e.subject === ticketId);
    expect(event!.data).toMatchObject({ resolution: 'done', callbackDueAt: ticket.callback.dueAt });
    // The holder no longer sees the contact once the ticket is resolved.
    expect(
      (await call(service, 'GET', `/tickets/${ticketId}/contact`, mediatorUser(mediatorId))).status,
    ).toBe(404);

    // A term not kept: the case reopens (a note only; the call-back stands), then ends referred: nothing more.
    await deliver(caseReopened, caseId, {
      ticketId,
      reason: 'term-not-kept',
      timeLimitAt: new Date(Date.now() + 15 * 864e5).toISOString(),
      actorId: `user-${mediatorId}`,
    });
    await deliver(outcomeRecorded, caseId, outcome(ticketId, 'referred', { referredTo: 'court' }));
    await deliver(caseClosed, caseId, { ticketId, reason: 'referred' });
    const after = await call(service, 'GET', `/tickets/${ticketId}`, operator());
    expect(after.body).toMatchObject({
      status: 'resolved',
      resolution: 'done',
      callback: { status: 'scheduled', dueAt: ticket.callback.dueAt },
    });
    const notes = (after.body.timeline as Json[]).filter(
      (entry) => entry.reason === 'case-reopened:term-not-kept',
    );
    expect(notes).toEqual([expect.objectContaining({ from: 'resolved', to: 'resolved', role: 'mediation' })]);
    expect(after.body.timeline).toHaveLength(ticket.timeline.length + 1);
    expect(resolvedEvents(ticketId)).toHaveLength(1);
  });

  it.each([
    ['failed', 'not-actionable', {}],
    ['referred', 'referred', { referredTo: 'district-centre' }],
  ])('a mediation %s resolves the ticket as %s', async (kind, resolution, extra) => {
    const { ticketId, caseId } = await disputeTicket();
    await deliver(outcomeRecorded, caseId, outcome(ticketId, kind, extra));
    await deliver(caseClosed, caseId, { ticketId, reason: kind });
    const ticket = await ticketWhen(service, ticketId, (t) => t.status === 'resolved', 'is resolved');
    expect(ticket).toMatchObject({ resolution, callback: { status: 'scheduled' } });
    expect(ticket.timeline.at(-1).note).toContain(caseId);
    await tickets.waitFor((e) => e.type === RESOLVED && e.subject === ticketId);
    expect(resolvedEvents(ticketId)).toHaveLength(1);
  });

  it('the case withdrawn while the ticket is routed resolves it as not needed, once', async () => {
    const { ticketId, caseId } = await disputeTicket();
    const eventId = await deliver(caseClosed, caseId, { ticketId, reason: 'withdrawn', actorId: 'op-1' });
    await deliver(caseClosed, caseId, { ticketId, reason: 'withdrawn', actorId: 'op-1' }, eventId);
    const ticket = await ticketWhen(service, ticketId, (t) => t.status === 'resolved', 'is resolved');
    expect(ticket).toMatchObject({ resolution: 'not-needed', callback: { status: 'scheduled' } });
    expect(ticket.timeline.at(-1)).toMatchObject({ reason: 'not-needed', note: `case ${caseId}: withdrawn` });
    await tickets.waitFor((e) => e.type === RESOLVED && e.subject === ticketId);
    expect(resolvedEvents(ticketId)).toHaveLength(1);
  });

  it('a ticket already resolved by hand is left as it is by the case’s outcome and withdrawal', async () => {
    const { ticketId, caseId } = await disputeTicket();
    const byHand = await call(service, 'POST', `/tickets/${ticketId}/resolve`, operator(), {
      resolution: 'referred',
      note: '当事人已向法院起诉',
    });
    expect(byHand.status).toBe(200);
    const before = await timelineOf(ticketId);
    await deliver(outcomeRecorded, caseId, outcome(ticketId, 'agreement'));
    await deliver(caseClosed, caseId, { ticketId, reason: 'withdrawn' });
    await deliver(caseAssigned, caseId, assigned(ticketId, unique('med-')));
    const after = await call(service, 'GET', `/tickets/${ticketId}`, operator());
    expect(after.body).toMatchObject({ status: 'resolved', resolution: 'referred' });
    expect(after.body.assignment).toBeUndefined();
    expect(after.body.timeline).toEqual(before);
    await tickets.waitFor((e) => e.type === RESOLVED && e.subject === ticketId);
    expect(resolvedEvents(ticketId)).toHaveLength(1);
  });

  it('events of a case without a ticket, or of a ticket this service does not have, change nothing', async () => {
    const caseId = unique('C20261129-');
    await deliver(outcomeRecorded, caseId, outcome(undefined, 'agreement'));
    await deliver(caseAssigned, caseId, assigned('T19990101-999999', 'med-x'));
    expect(resolvedEvents('T19990101-999999')).toHaveLength(0);
    // The consumer stays healthy: a later event for a real ticket is still applied.
    const { ticketId, caseId: realCase } = await disputeTicket();
    await deliver(caseAssigned, realCase, assigned(ticketId, 'med-y'));
    await ticketWhen(service, ticketId, (t) => t.assignment?.providerId === 'med-y', 'has its mediator');
  });
});
