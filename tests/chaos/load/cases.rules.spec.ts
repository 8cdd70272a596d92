import { checkCases, type CaseIntent, type SeenCase, type SeenTicket } from './cases.rules';

const intent = (n: number, overrides: Partial<CaseIntent> = {}): CaseIntent => ({
  intentId: `lc-x-${n}`,
  kind: 'dispute-ticket',
  idempotencyKey: `key-${n}`,
  marker: `lc-x-${n}`,
  outcome: 'agreement',
  createdAt: '2026-11-29T20:00:00.000Z',
  ...overrides,
});
const ticket = (n: number, overrides: Partial<SeenTicket> = {}): SeenTicket => ({
  ticketId: `T${n}`,
  status: 'closed',
  marker: `lc-x-${n}`,
  ...overrides,
});
const agreedCase = (id: string, overrides: Partial<SeenCase> = {}): SeenCase => ({
  caseId: id,
  status: 'closed',
  outcomeKind: 'agreement',
  previousOutcomes: 0,
  closedReason: 'agreement-kept',
  sessions: [{ sessionId: 'S1', status: 'held' }],
  followUps: [{ followUpId: 'F1', status: 'recorded' }],
  ...overrides,
});

describe('the cases check', () => {
  it('counts a dispute call and a hand-opened case that reached their end once as final', () => {
    const result = checkCases([intent(1), intent(2, { kind: 'hand-opened', outcome: 'failed' })], {
      tickets: [ticket(1)],
      cases: [
        agreedCase('C-T1', { ticketId: 'T1', marker: 'lc-x-1' }),
        agreedCase('C2', { marker: 'lc-x-2', outcomeKind: 'failed', closedReason: 'failed', followUps: [] }),
      ],
    });
    expect(result).toMatchObject({ expected: 2, final: 2, lost: [], duplicated: [] });
  });

  it('reports two tickets for one call and two cases for one ticket as duplicated', () => {
    const result = checkCases([intent(1)], {
      tickets: [ticket(1), ticket(1, { ticketId: 'T9' })],
      cases: [
        agreedCase('C-T1', { ticketId: 'T1' }),
        agreedCase('C-T1b', { ticketId: 'T1' }),
        agreedCase('C-T9', { ticketId: 'T9' }),
      ],
    });
    expect(result.final).toBe(0);
    expect(result.duplicated.map((f) => f.what)).toEqual([
      '2 tickets for one call: T1, T9',
      'more than one case for a dispute ticket: C-T1, C-T1b, C-T9',
    ]);
  });

  it('reports an intent with nothing created as lost', () => {
    const result = checkCases([intent(1, { kind: 'hand-opened' })], { tickets: [], cases: [] });
    expect(result.lost).toEqual([{ id: 'lc-x-1', what: 'no case for hand-opened lc-x-1' }]);
  });

  it('reports a case stuck short of its end, and its ticket, as lost', () => {
    const result = checkCases([intent(1)], {
      tickets: [ticket(1, { status: 'resolved' })],
      cases: [agreedCase('C-T1', { ticketId: 'T1', status: 'agreed', closedReason: undefined })],
    });
    expect(result.lost).toEqual([
      { id: 'T1', what: 'ticket T1 stuck at resolved' },
      { id: 'C-T1', what: 'case C-T1 stuck at agreed' },
    ]);
    expect(result.final).toBe(0);
  });

  it('reports a second session, a second outcome and a second follow-up as duplicated', () => {
    const result = checkCases([intent(1, { kind: 'hand-opened' })], {
      tickets: [],
      cases: [
        agreedCase('C1', {
          marker: 'lc-x-1',
          previousOutcomes: 1,
          sessions: [
            { sessionId: 'S1', status: 'held' },
            { sessionId: 'S2', status: 'scheduled' },
          ],
          followUps: [
            { followUpId: 'F1', status: 'recorded' },
            { followUpId: 'F2', status: 'recorded' },
          ],
        }),
      ],
    });
    expect(result.duplicated.map((f) => f.what)).toEqual([
      'case C1 has 2 outcomes',
      'case C1 has 2 sessions (one was scheduled)',
      'case C1 has 2 follow-ups (expected 1)',
    ]);
  });

  it('reports the wrong outcome as lost and a ticket or case no intent asked for as duplicated', () => {
    const result = checkCases([intent(1, { kind: 'hand-opened', outcome: 'failed' })], {
      tickets: [ticket(7, { marker: undefined })],
      cases: [agreedCase('C1', { marker: 'lc-x-1', followUps: [] }), agreedCase('C8', { marker: undefined })],
    });
    expect(result.lost).toEqual([{ id: 'C1', what: 'case C1 has outcome agreement, not failed' }]);
    expect(result.duplicated.map((f) => f.id)).toEqual(['T7', 'C8']);
  });
});
