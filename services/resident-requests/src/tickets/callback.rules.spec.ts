import { chinaDate, endOfChinaDay, isPhone, normalisePhone, phoneHash } from '@linli/platform';
import { callbackOutcome } from './callback.rules';

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
