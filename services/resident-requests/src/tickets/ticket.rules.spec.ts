import {
  assertCan,
  canApply,
  canReopen,
  formatTicketId,
  IllegalTransitionError,
  jobIdOf,
  ticketIdOfJob,
  TICKET_STATUSES,
  TRANSITIONS,
  type TicketCommand,
  type TicketStatus,
} from './ticket.rules';

/** Every command against every status: the allowed cells, everything else is a 409. */
const ALLOWED: Record<TicketCommand, TicketStatus[]> = {
  triage: ['new'],
  route: ['triaged'],
  dispatch: ['triaged'],
  accept: ['dispatched'],
  start: ['assigned'],
  complete: ['assigned', 'in-progress'],
  resolve: ['routed'],
  close: ['resolved'],
  cancel: ['new', 'triaged', 'routed', 'dispatched', 'assigned', 'in-progress'],
  reopen: ['resolved', 'closed'],
  reprioritise: ['triaged', 'routed', 'dispatched', 'assigned', 'in-progress'],
  'record-callback': ['resolved'],
};

const table = (Object.keys(ALLOWED) as TicketCommand[]).flatMap((command) =>
  TICKET_STATUSES.map((status) => [command, status, ALLOWED[command].includes(status)] as const),
);

describe('the ticket state machine', () => {
  it.each(table)('%s from %s is allowed: %s', (command, status, allowed) => {
    expect(canApply(command, status)).toBe(allowed);
  });

  it.each([
    ['triage', 'triaged'],
    ['route', 'routed'],
    ['dispatch', 'dispatched'],
    ['accept', 'assigned'],
    ['start', 'in-progress'],
    ['complete', 'resolved'],
    ['resolve', 'resolved'],
    ['close', 'closed'],
    ['cancel', 'cancelled'],
    ['reopen', 'triaged'],
  ] as [TicketCommand, TicketStatus][])('%s leads to %s', (command, to) => {
    expect(TRANSITIONS[command].to).toBe(to);
  });

  it('nothing leaves closed but a reopening, and nothing leaves cancelled', () => {
    const fromCancelled = (Object.keys(TRANSITIONS) as TicketCommand[]).filter((c) =>
      canApply(c, 'cancelled'),
    );
    const fromClosed = (Object.keys(TRANSITIONS) as TicketCommand[]).filter((c) => canApply(c, 'closed'));
    expect(fromCancelled).toEqual([]);
    expect(fromClosed).toEqual(['reopen']);
  });

  it('refuses an illegal command with a 409 carrying the current status and version', () => {
    let error: unknown;
    try {
      assertCan('record-callback', { ticketId: 'T1', status: 'dispatched', version: 3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IllegalTransitionError);
    expect((error as IllegalTransitionError).status).toBe(409);
    expect((error as IllegalTransitionError).current).toEqual({ status: 'dispatched', version: 3 });
  });

  describe('reopening', () => {
    const now = new Date('2026-11-29T10:00:00Z');
    const day = 86_400_000;
    it.each([
      ['a resolved ticket', 'resolved', undefined, true],
      ['a ticket closed yesterday', 'closed', new Date(now.getTime() - day), true],
      ['a ticket closed 31 days ago', 'closed', new Date(now.getTime() - 31 * day), false],
      ['a cancelled ticket', 'cancelled', undefined, false],
      ['a dispatched ticket', 'dispatched', undefined, false],
    ] as [string, TicketStatus, Date | undefined, boolean][])('%s: %s', (_, status, closedAt, expected) => {
      expect(canReopen({ status, closedAt }, now, 30 * day)).toBe(expected);
    });
  });

  it('gives readable ids: T, the date in China, a six-digit daily sequence', () => {
    expect(formatTicketId('2026-11-29', 123)).toBe('T20261129-000123');
    expect(formatTicketId('2026-11-29', 1_234_567)).toBe('T20261129-1234567');
    expect(jobIdOf('T20261129-000123', 2)).toBe('T20261129-000123-J2');
  });

  it('reads the ticket back out of its job ids, and nothing out of other services’ jobs', () => {
    expect(ticketIdOfJob(jobIdOf('T20261129-000123', 12))).toBe('T20261129-000123');
    expect(ticketIdOfJob('0f8fad5b-d9cb-469f-a165-70867728950e')).toBeUndefined();
    expect(ticketIdOfJob('visit-20261129-J')).toBeUndefined();
  });
});
