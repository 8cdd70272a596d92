import {
  caseAssigned,
  caseClosed,
  caseMediatorReleased,
  caseReopened,
  MEDIATION_OUTCOMES,
  outcomeRecorded,
  validateEventData,
} from '@linli/contracts';
import { followCase, RESOLUTION_OF_OUTCOME, type CaseEvent } from './mediation-case.rules';
import { holdsTicket, type TicketState } from './ticket.rules';

const ref = {
  caseId: 'C-T20261129-000012',
  version: 3,
  jurisdiction: '320106001003',
  ticketId: 'T20261129-000012',
};
const assigned = {
  ...ref,
  mediatorId: 'med-1',
  providerKind: 'social-organisation' as const,
  via: 'dispatch' as const,
};
const released = { ...ref, mediatorId: 'med-1', reason: 'conflict-of-interest' as const };
const outcome = (kind: (typeof MEDIATION_OUTCOMES)[number]) => ({
  ...ref,
  caseType: 'neighbour' as const,
  outcome: kind,
  ...(kind === 'referred' ? { referredTo: 'court' as const } : {}),
  withinTimeLimit: true,
  openedAt: '2026-11-29T02:00:00.000Z',
  actorId: 'user-med-1',
});
const closed = (reason: 'withdrawn' | 'failed' | 'referred' | 'agreement-kept') => ({ ...ref, reason });
const reopened = { ...ref, reason: 'term-not-kept' as const, timeLimitAt: '2027-01-15T02:00:00.000Z' };

type Ticket = Pick<TicketState, 'status' | 'routedTo' | 'assignment'>;
const routed: Ticket = { status: 'routed', routedTo: 'mediation' };
const held: Ticket = { ...routed, assignment: { providerId: 'med-1', acceptedAt: new Date() } };
const resolved: Ticket = { status: 'resolved', routedTo: 'mediation' };

describe('the sample events are valid case events', () => {
  it('case.assigned', () => expect(validateEventData(caseAssigned, assigned).ok).toBe(true));
  it('case.mediator-released', () => expect(validateEventData(caseMediatorReleased, released).ok).toBe(true));
  it('outcome.recorded', () => expect(validateEventData(outcomeRecorded, outcome('referred')).ok).toBe(true));
  it('case.closed', () => expect(validateEventData(caseClosed, closed('withdrawn')).ok).toBe(true));
  it('case.reopened', () => expect(validateEventData(caseReopened, reopened).ok).toBe(true));
});

describe('a ticket routed to mediation follows its case', () => {
  it('every outcome of mediation has a resolution of the ticket', () => {
    expect(RESOLUTION_OF_OUTCOME).toEqual({
      agreement: 'done',
      failed: 'not-actionable',
      referred: 'referred',
    });
    for (const kind of MEDIATION_OUTCOMES) expect(RESOLUTION_OF_OUTCOME[kind]).toBeDefined();
  });

  it.each<[string, Ticket, CaseEvent, ReturnType<typeof followCase>]>([
    [
      'the case assigned: the mediator holds the routed ticket',
      routed,
      { kind: 'assigned', data: assigned },
      {
        action: 'hold',
        providerId: 'med-1',
        providerKind: 'social-organisation',
        reason: 'case-assigned',
        note: 'case C-T20261129-000012: mediator med-1 (dispatch)',
      },
    ],
    ['the same mediator assigned again: nothing', held, { kind: 'assigned', data: assigned }, undefined],
    [
      'another mediator assigned (reassigned by hand): they hold it now',
      held,
      {
        kind: 'assigned',
        data: { ...assigned, mediatorId: 'med-2', providerKind: undefined, via: 'manual' },
      },
      {
        action: 'hold',
        providerId: 'med-2',
        reason: 'case-assigned',
        note: 'case C-T20261129-000012: mediator med-2 (manual)',
      },
    ],
    [
      'assigned when the ticket was resolved by hand: nothing',
      resolved,
      { kind: 'assigned', data: assigned },
      undefined,
    ],
    [
      'assigned for a ticket routed elsewhere: nothing',
      { status: 'routed', routedTo: 'emergency' },
      { kind: 'assigned', data: assigned },
      undefined,
    ],
    [
      'the holding mediator released: the holder cleared',
      held,
      { kind: 'mediator-released', data: released },
      {
        action: 'release',
        reason: 'case-mediator-released:conflict-of-interest',
        note: 'case C-T20261129-000012: mediator med-1',
      },
    ],
    [
      'a mediator released who does not hold the ticket: nothing',
      routed,
      { kind: 'mediator-released', data: released },
      undefined,
    ],
    [
      'an agreement resolves the ticket as done',
      held,
      { kind: 'outcome', data: outcome('agreement') },
      { action: 'resolve', resolution: 'done', note: 'case C-T20261129-000012: agreement' },
    ],
    [
      'a failed mediation resolves it as not actionable',
      held,
      { kind: 'outcome', data: outcome('failed') },
      { action: 'resolve', resolution: 'not-actionable', note: 'case C-T20261129-000012: failed' },
    ],
    [
      'a referral resolves it as referred, naming where',
      held,
      { kind: 'outcome', data: outcome('referred') },
      { action: 'resolve', resolution: 'referred', note: 'case C-T20261129-000012: referred to court' },
    ],
    [
      'an outcome when the ticket is already resolved (by hand, or an earlier outcome): nothing',
      resolved,
      { kind: 'outcome', data: outcome('agreement') },
      undefined,
    ],
    [
      'an outcome on a closed ticket: nothing',
      { status: 'closed', routedTo: 'mediation' },
      { kind: 'outcome', data: outcome('failed') },
      undefined,
    ],
    [
      'the case withdrawn while the ticket is routed: resolved as not needed',
      routed,
      { kind: 'closed', data: closed('withdrawn') },
      { action: 'resolve', resolution: 'not-needed', note: 'case C-T20261129-000012: withdrawn' },
    ],
    [
      'the case withdrawn after the ticket was resolved: nothing',
      resolved,
      { kind: 'closed', data: closed('withdrawn') },
      undefined,
    ],
    ...(['failed', 'referred', 'agreement-kept'] as const).map(
      (reason): [string, Ticket, CaseEvent, undefined] => [
        `the case closed (${reason}): nothing (its outcome resolved the ticket)`,
        routed,
        { kind: 'closed', data: closed(reason) },
        undefined,
      ],
    ),
    [
      'the case reopened: a note only, whatever the ticket’s status',
      { status: 'closed', routedTo: 'mediation' },
      { kind: 'reopened', data: reopened },
      {
        action: 'note',
        reason: 'case-reopened:term-not-kept',
        note: 'case C-T20261129-000012 reopened, time limit 2027-01-15T02:00:00.000Z',
      },
    ],
  ])('%s', (_, ticket, event, expected) => {
    expect(followCase(ticket, event)).toEqual(expected);
  });
});

describe('who holds a ticket (and sees the resident’s contact)', () => {
  const assignment = { providerId: 'p-1', acceptedAt: new Date() };
  it.each<[string, Ticket, string | undefined, boolean]>([
    ['the provider whose job was accepted holds it', { status: 'assigned', assignment }, 'p-1', true],
    ['the provider on site holds it', { status: 'in-progress', assignment }, 'p-1', true],
    ['nobody holds it after the job is done', { status: 'resolved', assignment }, 'p-1', false],
    ['another provider does not', { status: 'assigned', assignment }, 'p-2', false],
    ['a user acting for no provider does not', { status: 'assigned', assignment }, undefined, false],
    ['the mediator holding the case of a routed ticket holds it', { ...routed, assignment }, 'p-1', true],
    ['a mediator not holding the case does not', { ...routed, assignment }, 'p-2', false],
    ['nobody holds a routed ticket without a holder', routed, 'p-1', false],
    ['nobody holds it after the case resolved the ticket', { ...resolved, assignment }, 'p-1', false],
    [
      'a holder of a ticket routed elsewhere does not',
      { status: 'routed', routedTo: 'emergency', assignment },
      'p-1',
      false,
    ],
  ])('%s', (_, ticket, providerId, expected) => {
    expect(holdsTicket(ticket, providerId)).toBe(expected);
  });
});
