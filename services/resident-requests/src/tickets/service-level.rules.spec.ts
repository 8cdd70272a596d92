import { DEFAULT_SERVICE_LEVELS } from '../catalogue/categories.data';
import type { TicketPriority } from '../catalogue/catalogue.types';
import { deadlinesFor, escalationLevel, isBreach } from './service-level.rules';
import type { ServiceLevelState, TicketStatus } from './ticket.rules';

const HOUR = 3_600_000;
const start = new Date('2026-11-29T00:00:00Z');

describe('service-level deadlines', () => {
  it.each([
    ['danger', 0.5 * HOUR, 2 * HOUR],
    ['utilities', 2 * HOUR, 24 * HOUR],
    ['general', 2 * HOUR, 7 * 24 * HOUR],
    ['complex', 2 * HOUR, 15 * 24 * HOUR],
  ] as [TicketPriority, number, number][])(
    '%s: accept after %d ms, resolve after %d ms',
    (priority, accept, resolve) => {
      const deadlines = deadlinesFor(DEFAULT_SERVICE_LEVELS, priority, start, 1);
      expect(deadlines.acceptDueAt.getTime() - start.getTime()).toBe(accept);
      expect(deadlines.resolveDueAt.getTime() - start.getTime()).toBe(resolve);
    },
  );

  it('scales every duration by SERVICE_LEVEL_TIME_SCALE', () => {
    const deadlines = deadlinesFor(DEFAULT_SERVICE_LEVELS, 'danger', start, 0.001);
    expect(deadlines.acceptDueAt.getTime() - start.getTime()).toBe(1_800);
    expect(deadlines.resolveDueAt.getTime() - start.getTime()).toBe(7_200);
  });
});

describe('breaches', () => {
  const level = (overrides: Partial<ServiceLevelState> = {}): ServiceLevelState => ({
    startedAt: start,
    acceptDueAt: new Date(start.getTime() + HOUR),
    resolveDueAt: new Date(start.getTime() + 2 * HOUR),
    revision: 1,
    breached: false,
    breaches: [],
    ...overrides,
  });
  const after = new Date(start.getTime() + 3 * HOUR);
  const before = new Date(start.getTime() + HOUR / 2);

  it.each([
    ['accept, dispatched, passed', 'dispatched', 'accept', 1, after, true],
    ['accept, triaged, passed', 'triaged', 'accept', 1, after, true],
    ['accept, not yet due', 'dispatched', 'accept', 1, before, false],
    ['accept, already assigned', 'assigned', 'accept', 1, after, false],
    ['accept, routed (its service took it over)', 'routed', 'accept', 1, after, false],
    ['accept, cancelled', 'cancelled', 'accept', 1, after, false],
    ['accept, a stale revision (re-prioritised)', 'dispatched', 'accept', 0, after, false],
    ['resolve, in progress, passed', 'in-progress', 'resolve', 1, after, true],
    ['resolve, routed, passed', 'routed', 'resolve', 1, after, true],
    ['resolve, resolved in time', 'resolved', 'resolve', 1, after, false],
    ['resolve, closed', 'closed', 'resolve', 1, after, false],
  ] as [string, TicketStatus, 'accept' | 'resolve', number, Date, boolean][])(
    '%s: %s',
    (_, status, kind, revision, now, expected) => {
      expect(isBreach(status, level(), kind, revision, now)).toBe(expected);
    },
  );

  it('escalates once per deadline: a breach already recorded is not a new one', () => {
    const recorded = level({
      breached: true,
      breaches: [{ kind: 'accept', dueAt: start, at: after, revision: 1 }],
    });
    expect(isBreach('dispatched', recorded, 'accept', 1, after)).toBe(false);
    expect(isBreach('dispatched', recorded, 'resolve', 1, after)).toBe(true);
  });

  it('counts the level per kind: 1 first, 2 after a re-prioritised deadline is missed again', () => {
    expect(escalationLevel(level(), 'accept')).toBe(1);
    const once = level({ breaches: [{ kind: 'accept', dueAt: start, at: after, revision: 1 }] });
    expect(escalationLevel(once, 'accept')).toBe(2);
    expect(escalationLevel(once, 'resolve')).toBe(1);
  });
});
