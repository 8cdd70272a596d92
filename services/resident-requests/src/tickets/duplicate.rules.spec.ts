import { duplicateCriteria, isLikelyDuplicate } from './duplicate.rules';
import type { TicketStatus } from './ticket.rules';

const DAY = 86_400_000;
const now = new Date('2026-11-29T10:00:00Z');
const incoming = { phoneHash: 'h1', category: 'repair', communityCode: '320106001003' };
const criteria = duplicateCriteria(incoming, now, DAY)!;

const candidate = (overrides: {
  phoneHash?: string;
  category?: string;
  communityCode?: string;
  ageMs?: number;
  status?: TicketStatus;
}) => ({
  reporter: { phoneHash: overrides.phoneHash ?? 'h1', vulnerable: [] },
  category: (overrides.category ?? 'repair') as never,
  place: { communityCode: overrides.communityCode ?? '320106001003', address: 'x' },
  createdAt: new Date(now.getTime() - (overrides.ageMs ?? 3_600_000)),
  status: overrides.status ?? 'dispatched',
});

describe('the duplicate rule', () => {
  it.each([
    ['same phone, category and community an hour ago, still open', {}, true],
    ['another phone', { phoneHash: 'h2' }, false],
    ['another category', { category: 'sanitation' }, false],
    ['another community', { communityCode: '320106001001' }, false],
    ['just inside 24 hours', { ageMs: DAY - 1 }, true],
    ['exactly 24 hours ago', { ageMs: DAY }, true],
    ['older than 24 hours', { ageMs: DAY + 1 }, false],
    ['the earlier one is resolved (still open to a call-back)', { status: 'resolved' as const }, true],
    ['the earlier one is closed', { status: 'closed' as const }, false],
    ['the earlier one is cancelled', { status: 'cancelled' as const }, false],
  ])('%s → %s', (_, overrides, expected) => {
    expect(isLikelyDuplicate(candidate(overrides), criteria)).toBe(expected);
  });

  it('looks for nothing when the reporter gave no phone (an anonymous Open311 report)', () => {
    expect(duplicateCriteria({ ...incoming, phoneHash: undefined }, now, DAY)).toBeUndefined();
  });
});
