import { chinaDate, endOfChinaDay, isPhone, normalisePhone, phoneHash } from '@linli/platform';
import { callbackFallsDue, callbackOperatorOf, callbackOutcome } from './callback.rules';
import type { TimelineEntry } from './ticket.rules';

describe('the call-back (回访)', () => {
  it.each([
    [{ answered: true, satisfaction: 5 }, 0, 'close-satisfied'],
    [{ answered: true, satisfaction: 3 }, 0, 'close-satisfied'],
    [{ answered: true, satisfaction: 2 }, 0, 'reopen-dissatisfied'],
    [{ answered: true, satisfaction: 1 }, 2, 'reopen-dissatisfied'],
    [{ answered: false }, 0, 'retry'],
    [{ answered: false }, 1, 'retry'],
    [{ answered: false }, 2, 'close-unreachable'],
  ])('%j after %d unanswered → %s', (answer, unanswered, outcome) => {
    expect(callbackOutcome(answer, unanswered, 3)).toBe(outcome);
  });

  it('reads "today" and the end of a day in Asia/Shanghai', () => {
    expect(chinaDate(new Date('2026-11-29T15:59:59Z'))).toBe('2026-11-29');
    expect(chinaDate(new Date('2026-11-29T16:00:00Z'))).toBe('2026-11-30');
    expect(endOfChinaDay('2026-11-29').toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });
});

describe('a call-back falling due (ticket.callback-due once per round and attempt)', () => {
  const waiting = {
    status: 'resolved' as const,
    callback: { round: 2, attempts: 1, status: 'scheduled' as const },
  };

  it('falls due for the try the ticket waits for', () => {
    expect(callbackFallsDue(waiting, 2, 2)).toBe(true);
  });

  it.each([
    [
      'its timer runs again once it is due',
      { ...waiting, callback: { ...waiting.callback, status: 'due' as const } },
      2,
      2,
    ],
    [
      'the call-back was answered',
      { ...waiting, callback: { ...waiting.callback, status: 'answered' as const } },
      2,
      2,
    ],
    ['the timer is of an earlier try', waiting, 2, 1],
    ['the timer is of a later try', waiting, 2, 3],
    ['the timer is of an earlier round (the ticket was reopened and resolved again)', waiting, 1, 2],
    ['the ticket is no longer resolved', { ...waiting, status: 'closed' as const }, 2, 2],
    ['the ticket has no call-back', { status: 'resolved' as const }, 1, 1],
  ])('does nothing when %s', (_what, ticket, round, attempt) => {
    expect(callbackFallsDue(ticket, round, attempt)).toBe(false);
  });
});

describe('the operator told of a call-back due', () => {
  const at = new Date('2026-11-29T02:00:00Z');
  const intake = (entry: Partial<TimelineEntry>): TimelineEntry[] => [
    { at, to: 'new', reason: 'hotline', ...entry },
    { at, from: 'new', to: 'triaged', role: 'system' },
  ];

  it('is whoever took the request in', () => {
    expect(
      callbackOperatorOf({ channel: 'hotline', timeline: intake({ actorId: 'op-7', role: 'operator' }) }),
    ).toBe('op-7');
    expect(
      callbackOperatorOf({ channel: 'walk-in', timeline: intake({ actorId: 'sup-1', role: 'supervisor' }) }),
    ).toBe('sup-1');
  });

  it('is nobody for Open311 clients, visit findings (system) and ids an event cannot carry', () => {
    expect(
      callbackOperatorOf({
        channel: 'open311',
        timeline: intake({ actorId: 'open311:city-app', role: 'operator' }),
      }),
    ).toBeUndefined();
    expect(callbackOperatorOf({ channel: 'visit', timeline: intake({ role: 'system' }) })).toBeUndefined();
    expect(
      callbackOperatorOf({ channel: 'hotline', timeline: intake({ actorId: '王 五', role: 'operator' }) }),
    ).toBeUndefined();
    expect(callbackOperatorOf({ channel: 'hotline', timeline: [] })).toBeUndefined();
  });
});

describe('phone numbers', () => {
  it.each([
    ['13912345678', true],
    ['+86 139 1234 5678', true],
    ['025-83123456', true],
    ['0512-6812345', true],
    ['12912345678', false],
    ['call me', false],
    ['1391234567', false],
  ])('%s is a phone: %s', (phone, expected) => expect(isPhone(phone)).toBe(expected));

  it('hashes the normalised number with the key, so spacing does not hide a duplicate', () => {
    expect(normalisePhone('+86 139-1234-5678')).toBe('13912345678');
    expect(phoneHash('139 1234 5678', 'k'.repeat(16))).toBe(phoneHash('+8613912345678', 'k'.repeat(16)));
    expect(phoneHash('13912345678', 'k'.repeat(16))).not.toBe(phoneHash('13912345678', 'j'.repeat(16)));
  });
});
