import {
  open311StatusOf,
  statusNotesOf,
  TICKET_STATUSES,
  ticketStatusesOf,
  type TicketStatus,
} from './status.rules';

describe('Open311 status of a ticket', () => {
  it.each<[TicketStatus, 'open' | 'closed']>([
    ['new', 'open'],
    ['triaged', 'open'],
    ['routed', 'open'],
    ['dispatched', 'open'],
    ['assigned', 'open'],
    ['in-progress', 'open'],
    ['resolved', 'closed'],
    ['closed', 'closed'],
    ['cancelled', 'closed'],
  ])('%s is %s', (status, expected) => {
    expect(open311StatusOf(status)).toBe(expected);
  });

  it('maps every ticket status and the filters cover all of them exactly once', () => {
    expect([...ticketStatusesOf('open'), ...ticketStatusesOf('closed')].sort()).toEqual(
      [...TICKET_STATUSES].sort(),
    );
  });

  it.each([
    [{ status: 'dispatched' as const }, 'zh', '已派单，等待服务人员接单'],
    [{ status: 'resolved' as const }, 'en', 'resolved; the call-back to the resident is pending'],
    [
      { status: 'closed' as const, reason: 'callback-unanswered' },
      'en',
      'closed (the call-back went unanswered three times)',
    ],
    [{ status: 'cancelled' as const, reason: 'duplicate' }, 'zh', '已撤销（重复诉求）'],
    [
      { status: 'routed' as const, routedTo: 'mediation' },
      'en',
      'handed to the specialised service (mediation)',
    ],
    [{ status: 'cancelled' as const, reason: 'something-new' }, 'en', 'cancelled'],
  ] as const)('status_notes of %j in %s', (facts, locale, expected) => {
    expect(statusNotesOf(facts, locale)).toBe(expected);
  });
});
