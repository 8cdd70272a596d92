// The tickets and visits checkers' rules on hand-made data: a clean day checks clean, and a duplicate, a lost one,
// a stuck one, a double completion, a stray job and an overloaded provider are each reported with their ids.
import { checkTickets, type ObservedJob, type ObservedTicket, type TicketIntent } from './ticket-check';
import { checkVisits, type ObservedVisit, type VisitIntent } from './visit-check';

const intent = (n: number, extra: Partial<TicketIntent> = {}): TicketIntent => ({
  intentId: `r-T${n}`,
  idempotencyKey: `key-${n}`,
  operator: 'op',
  category: 'repair',
  communityCode: '320106001003',
  phone: '13900000000',
  cancel: false,
  unansweredFirst: false,
  ticketId: `T${n}`,
  ...extra,
});
const CLOSED_PATH = ['new', 'triaged', 'dispatched', 'assigned', 'in-progress', 'resolved', 'closed'];
const timeline = (path: string[]) => path.map((to, i) => ({ from: i === 0 ? undefined : path[i - 1], to }));
const closed = (n: number, extra: Partial<ObservedTicket> = {}): ObservedTicket => ({
  ticketId: `T${n}`,
  intentId: `r-T${n}`,
  status: 'closed',
  timeline: timeline(CLOSED_PATH),
  callbackStatus: 'answered',
  satisfaction: 4,
  ...extra,
});
const job = (id: string, originId: string, status: string, providerId?: string): ObservedJob => ({
  jobId: id,
  originId,
  status,
  providerId,
  offeredTo: providerId ? [providerId] : [],
});

describe('the tickets checker', () => {
  it('counts a clean day as final: closed with one completed job and its call-back, cancelled without one', () => {
    const result = checkTickets({
      intents: [intent(1), intent(2, { cancel: true, cancelOutcome: 'cancelled' })],
      tickets: [
        closed(1),
        {
          ticketId: 'T2',
          intentId: 'r-T2',
          status: 'cancelled',
          timeline: timeline(['new', 'triaged', 'cancelled']),
        },
      ],
      jobs: [
        job('J0', 'T1', 'cancelled', 'p'),
        job('J1', 'T1', 'completed', 'p'),
        job('J2', 'T2', 'cancelled'),
      ],
      providers: [{ providerId: 'p', capacity: 2, load: 0 }],
    });
    expect(result).toMatchObject({ part: 'tickets', expected: 2, final: 2, lost: [], duplicated: [] });
  });

  it('expects closed when the cancel was refused because the ticket was already resolved', () => {
    const result = checkTickets({
      intents: [intent(1, { cancel: true, cancelOutcome: 'refused' })],
      tickets: [closed(1)],
      jobs: [job('J1', 'T1', 'completed')],
      providers: [],
    });
    expect(result.final).toBe(1);
  });

  it('reports two tickets for one intent, a ticket nobody intended, and a never-created intent', () => {
    const result = checkTickets({
      intents: [intent(1), intent(2)],
      tickets: [closed(1), closed(1, { ticketId: 'T1b' }), closed(9, { intentId: undefined })],
      jobs: [job('J1', 'T1', 'completed'), job('J1b', 'T1b', 'completed'), job('J9', 'T9', 'completed')],
      providers: [],
    });
    expect(result.duplicated).toEqual(
      expect.arrayContaining([
        { id: 'r-T1', what: '2 tickets: T1, T1b' },
        { id: 'T9', what: 'a ticket no intent asked for' },
        { id: 'J9', what: expect.stringContaining('no ticket intent made') },
      ]),
    );
    expect(result.lost).toEqual([{ id: 'r-T2', what: expect.stringContaining('never created') }]);
    expect(result.final).toBe(0);
  });

  it('reports a stuck ticket, its open job, a missing call-back and a missing completion', () => {
    const result = checkTickets({
      intents: [intent(1), intent(2), intent(3)],
      tickets: [
        closed(1, { status: 'assigned', timeline: timeline(CLOSED_PATH.slice(0, 4)) }),
        closed(2, { callbackStatus: 'due', satisfaction: undefined }),
        closed(3),
      ],
      jobs: [job('J1', 'T1', 'accepted', 'p'), job('J2', 'T2', 'completed')],
      providers: [{ providerId: 'p', capacity: 3, load: 1 }],
    });
    const lost = result.lost.map((f) => `${f.id}: ${f.what}`);
    expect(lost).toEqual(
      expect.arrayContaining([
        'T1: assigned, expected closed (r-T1)',
        'T1: no completed job',
        'J1: job of T1 left accepted',
        'T2: call-back due',
        'T2: closed without the satisfaction of its call-back',
        'T3: no completed job',
      ]),
    );
    expect(result.final).toBe(0);
  });

  it('reports two completed jobs for one ticket, a status entered twice, and a provider over its capacity', () => {
    const result = checkTickets({
      intents: [intent(1)],
      tickets: [closed(1, { timeline: timeline([...CLOSED_PATH.slice(0, 6), 'resolved', 'closed']) })],
      jobs: [job('J1', 'T1', 'completed', 'p'), job('J2', 'T1', 'completed', 'p')],
      providers: [{ providerId: 'p', capacity: 1, load: 2 }],
    });
    expect(result.duplicated.map((f) => f.what)).toEqual(
      expect.arrayContaining(['2 completed jobs: J1, J2', 'holds 2 jobs, capacity 1']),
    );
    expect(result.final).toBe(0);
  });

  it('takes a cancel that crossed the completion as final once the ticket notes it, and as lost otherwise', () => {
    const cancelled = (reasons: string[]) =>
      closed(1, {
        status: 'cancelled',
        timeline: [
          ...timeline(['new', 'triaged', 'dispatched', 'cancelled']),
          ...reasons.map((reason) => ({ from: 'cancelled', to: 'cancelled', reason })),
        ],
      });
    const run = (reasons: string[]) =>
      checkTickets({
        intents: [intent(1, { cancel: true, cancelOutcome: 'cancelled' })],
        tickets: [cancelled(reasons)],
        jobs: [job('J1', 'T1', 'completed')],
        providers: [],
      });
    const noted = run(['job-completed-after-cancel']);
    expect(noted).toMatchObject({ final: 1, lost: [], duplicated: [] });
    expect(noted.notes).toEqual([expect.stringContaining('T1: the cancel crossed job J1')]);
    expect(run([])).toMatchObject({ final: 0, lost: [{ id: 'T1' }], duplicated: [] });
    expect(run(['job-completed-after-cancel', 'job-completed-after-cancel'])).toMatchObject({
      final: 0,
      duplicated: [{ id: 'T1' }],
    });
  });
});

describe('the visits checker', () => {
  const due = '2026-11-30T02:00:00.000Z';
  const vIntent = (n: number): VisitIntent => ({
    intentId: `r-V${n}`,
    idempotencyKey: `k${n}`,
    elderId: `E${n}`,
    service: 'meal-delivery',
    dueAt: due,
  });
  const visit = (id: string, elder: string, extra: Partial<ObservedVisit> = {}): ObservedVisit => ({
    visitId: id,
    elderId: elder,
    service: 'meal-delivery',
    dueAt: due,
    status: 'completed',
    checkedIn: true,
    checkedOut: true,
    ...extra,
  });

  it('counts a completed visit with one completed job as final', () => {
    const result = checkVisits({
      intents: [vIntent(1)],
      visits: [visit('V1', 'E1')],
      jobs: [{ jobId: 'V1-J1', visitId: 'V1', status: 'completed' }],
    });
    expect(result).toMatchObject({ part: 'visits', expected: 1, final: 1, lost: [], duplicated: [] });
  });

  it('reports a slot visited twice, a visit nobody asked for, a lost slot and a stuck visit', () => {
    const result = checkVisits({
      intents: [vIntent(1), vIntent(2), vIntent(3)],
      visits: [
        visit('V1', 'E1'),
        visit('V1b', 'E1'),
        visit('V3', 'E3', { status: 'assigned', checkedIn: false, checkedOut: false }),
        visit('V9', 'E9'),
      ],
      jobs: [
        { jobId: 'V3-J1', visitId: 'V3', status: 'accepted' },
        { jobId: 'V9-J1', visitId: 'V9', status: 'completed' },
      ],
    });
    expect(result.duplicated.map((f) => f.id)).toEqual(expect.arrayContaining(['r-V1', 'V9']));
    expect(result.lost.map((f) => `${f.id}: ${f.what}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^r-V2: no visit/),
        'V3: assigned, expected completed',
        'V3-J1: job of V3 left accepted',
      ]),
    );
    expect(result.final).toBe(0);
  });

  it('reports two completed jobs for one visit', () => {
    const result = checkVisits({
      intents: [vIntent(1)],
      visits: [visit('V1', 'E1')],
      jobs: [
        { jobId: 'V1-J1', visitId: 'V1', status: 'completed' },
        { jobId: 'V1-J2', visitId: 'V1', status: 'completed' },
      ],
    });
    expect(result.duplicated).toEqual([{ id: 'V1', what: '2 completed jobs: V1-J1, V1-J2' }]);
  });
});
