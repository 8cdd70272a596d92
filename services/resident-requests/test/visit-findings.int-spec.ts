// A need discovered on an elder-care visit (走访发现, visit.finding-reported) becomes exactly one ticket of channel
// visit, however often the event arrives and even after a crash between the finding's claim and its ticket; the
// ticket is triaged and dispatched like any other, and an urgent observation makes it the highest priority.
// Against the real Kafka, MongoDB-wire server and Redis; elder-care's events are published as elder-care would.
import { jobTopic, ticketTopic, visitFindingReported, type CloudEvent } from '@linli/contracts';
import { EventProbe, type ServiceProcess } from '@linli/testing';
import { MongoClient } from 'mongodb';
import {
  call,
  consumed,
  Dispatch,
  ElderCare,
  eventually,
  operator,
  providerUser,
  startRequests,
  ticketWhen,
  unique,
  XIANXIA_ROAD,
  type Json,
} from './support';

const TYPE = (name: string) => `linli.resident-requests.${name}.v1`;
const JOB_REQUESTED = 'linli.dispatch.job.requested.v1';

describe('resident-requests: tickets from visit findings', () => {
  let service: ServiceProcess;
  let tickets: EventProbe;
  let jobs: EventProbe;
  let elderCare: ElderCare;
  let dispatch: Dispatch;
  let delivered = 0;

  beforeAll(async () => {
    service = await startRequests();
    tickets = await EventProbe.start({ topic: ticketTopic.name });
    jobs = await EventProbe.start({ topic: jobTopic.name });
    elderCare = await ElderCare.start();
    dispatch = await Dispatch.start();
  });
  afterAll(async () => {
    await dispatch?.stop();
    await elderCare?.stop();
    await tickets?.stop();
    await jobs?.stop();
    const code = await service?.stop();
    if (code !== 0 && code !== null) process.stderr.write(service.output());
  });

  /** Publishes a finding and waits until the consumer has handled (or skipped) everything sent so far. */
  async function deliver(finding: Json, eventId?: string): Promise<string> {
    const id = await elderCare.findingReported(finding, eventId);
    delivered += 1;
    const count = delivered;
    await eventually(`${count} findings consumed`, async () =>
      (await consumed(service, visitFindingReported.type)) >= count ? true : undefined,
    );
    return id;
  }

  const createdFor = (visitId: string) =>
    tickets.events.filter(
      (e: CloudEvent) => e.type === TYPE('ticket.created') && (e.data as Json).sourceVisitId === visitId,
    ) as CloudEvent<Json>[];

  async function visitTickets(visitId: string): Promise<Json[]> {
    const list = await call(service, 'GET', `/tickets?channel=visit&pageSize=100`, operator());
    expect(list.status).toBe(200);
    return (list.body.items as Json[]).filter((ticket) => ticket.sourceVisitId === visitId);
  }

  it('a concern becomes one visit ticket without a reporter, triaged and dispatched; repeats change nothing', async () => {
    const finding = ElderCare.finding();
    const eventId = await deliver(finding);
    await deliver(finding, eventId); // the same event again
    await deliver(finding); // the same finding as a new event

    const [created] = await tickets.waitFor(
      (e) => e.type === TYPE('ticket.created') && (e.data as Json).sourceVisitId === finding.visitId,
    );
    const ticketId = (created!.data as Json).ticketId as string;
    expect(created!.data).toMatchObject({
      channel: 'visit',
      category: 'repair',
      sourceVisitId: finding.visitId,
    });

    const ticket = await ticketWhen(service, ticketId, (t) => t.status === 'dispatched', 'is dispatched');
    expect(ticket).toMatchObject({
      channel: 'visit',
      category: 'repair',
      description: finding.summary,
      sourceVisitId: finding.visitId,
      jurisdiction: XIANXIA_ROAD,
      place: { communityCode: XIANXIA_ROAD, communityName: '仙霞路社区居委会' },
      priority: { level: 'general', source: 'rules' },
      reporter: { vulnerable: [] },
    });
    expect(ticket.reporter.name).toBeUndefined();
    expect(ticket.reporter.phone).toBeUndefined();
    expect(ticket.place.address).toContain(finding.elderId);
    expect(ticket.timeline[0]).toMatchObject({
      to: 'new',
      reason: 'visit',
      note: `finding ${finding.findingId}`,
    });

    const [job] = await jobs.waitFor((e) => e.type === JOB_REQUESTED && e.subject === ticket.jobId);
    expect(job!.data).toMatchObject({
      origin: { service: 'resident-requests', aggregateId: ticketId },
      category: 'repair',
      priority: 'routine',
    });

    await tickets.waitFor((e) => e.subject === ticketId && e.type === TYPE('ticket.routed'));
    expect(createdFor(finding.visitId)).toHaveLength(1);
    expect(await visitTickets(finding.visitId)).toHaveLength(1);
    expect(jobs.events.filter((e) => e.type === JOB_REQUESTED && e.subject === ticket.jobId)).toHaveLength(1);
  });

  it('two findings of one visit are two tickets', async () => {
    const visitId = unique('V-E0000043-');
    await deliver(ElderCare.finding({ visitId, findingId: `${visitId}-F1`, category: 'health' }));
    await deliver(ElderCare.finding({ visitId, findingId: `${visitId}-F2`, summary: '屋顶漏水' }));
    const found = await visitTickets(visitId);
    expect(found.map((ticket) => ticket.category).sort()).toEqual(['health', 'repair']);
  });

  it('an urgent observation is the highest priority, with the reason, and an immediate job', async () => {
    const finding = ElderCare.finding({
      observation: 'urgent',
      category: 'elder-care',
      summary: '老人精神差，多日未按时服药',
    });
    await deliver(finding);
    const [created] = await tickets.waitFor(
      (e) => e.type === TYPE('ticket.created') && (e.data as Json).sourceVisitId === finding.visitId,
    );
    const ticketId = (created!.data as Json).ticketId as string;
    const ticket = await ticketWhen(service, ticketId, (t) => t.status === 'dispatched', 'is dispatched');
    expect(ticket.priority).toEqual({
      level: 'danger',
      source: 'rules',
      reason: `urgent observation on visit ${finding.visitId}`,
    });
    const [triaged] = await tickets.waitFor(
      (e) => e.subject === ticketId && e.type === TYPE('ticket.triaged'),
    );
    expect(triaged!.data).toMatchObject({ priority: 'danger', category: 'elder-care' });
    const [job] = await jobs.waitFor((e) => e.type === JOB_REQUESTED && e.subject === ticket.jobId);
    expect(job!.data).toMatchObject({ priority: 'immediate', skill: 'elder-care' });
  });

  it('after a crash between the claim and the ticket, the redelivered finding opens the claimed ticket', async () => {
    const finding = ElderCare.finding();
    const claimedId = `T20991231-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const mongo = await MongoClient.connect(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
    try {
      await mongo
        .db(`${process.env.LINLI_NAMESPACE as string}-linli-resident-requests`)
        .collection<{ _id: string; ticketId: string; visitId: string; createdAt: Date }>(
          'visit_finding_claims',
        )
        .insertOne({
          _id: finding.findingId,
          ticketId: claimedId,
          visitId: finding.visitId,
          createdAt: new Date(),
        });
    } finally {
      await mongo.close();
    }
    await deliver(finding);
    await deliver(finding);
    const ticket = await ticketWhen(service, claimedId, (t) => t.status === 'dispatched', 'is dispatched');
    expect(ticket).toMatchObject({ channel: 'visit', sourceVisitId: finding.visitId });
    expect(await visitTickets(finding.visitId)).toHaveLength(1);
  });

  it('the contact of a visit ticket: no reporter, the elder named by id, for the holder and the operators', async () => {
    const finding = ElderCare.finding({ category: 'housekeeping', summary: '家中卫生需要打扫' });
    await deliver(finding);
    const [created] = await tickets.waitFor(
      (e) => e.type === TYPE('ticket.created') && (e.data as Json).sourceVisitId === finding.visitId,
    );
    const ticketId = (created!.data as Json).ticketId as string;
    const ticket = await ticketWhen(service, ticketId, (t) => t.status === 'dispatched', 'is dispatched');
    const holder = unique('prv');
    const contactOf = (headers: Record<string, string>) =>
      call(service, 'GET', `/tickets/${ticketId}/contact`, headers);
    expect((await contactOf(providerUser(holder))).status).toBe(404);
    await dispatch.accepted(ticket.jobId, holder);
    await ticketWhen(service, ticketId, (t) => t.status === 'assigned', 'is assigned');

    const mine = await contactOf(providerUser(holder));
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      ticketId,
      description: finding.summary,
      communityName: '仙霞路社区居委会',
      sourceVisitId: finding.visitId,
    });
    expect(mine.body.address).toContain(finding.elderId);
    expect(mine.body.name).toBeUndefined();
    expect(mine.body.phone).toBeUndefined();
    expect((await contactOf(operator())).status).toBe(200);
    expect((await contactOf(providerUser(unique('other')))).status).toBe(404);
  });
});
