import { Actor } from '@linli/auth';
import {
  boardOf,
  chaseBatches,
  chaseSkip,
  concernsUser,
  escalationOf,
  isAnswerable,
  recipientIdOf,
  staffReaches,
  statusAfter,
  stopByLater,
  type ChasedMessage,
} from './recipient.rules';

const NOW = new Date('2026-11-29T10:00:00+08:00');
const LATER = new Date('2026-11-30T10:00:00+08:00');

async function collect(generator: AsyncGenerator<string[]>): Promise<string[][]> {
  const batches: string[][] = [];
  for await (const batch of generator) batches.push(batch);
  return batches;
}

const ids = (count: number, prefix = 'r') =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);

describe('answers', () => {
  it.each([
    ['received', 'acknowledged'],
    ['safe', 'acknowledged'],
    ['needs-help', 'needs-help'],
  ] as const)('%s makes the recipient %s', (response, status) => {
    expect(statusAfter(response)).toBe(status);
  });

  it('flips only a recipient who has not answered (pending, or silent after the chase)', () => {
    expect(isAnswerable('pending')).toBe(true);
    expect(isAnswerable('silent')).toBe(true);
    expect(isAnswerable('acknowledged')).toBe(false);
    expect(isAnswerable('needs-help')).toBe(false);
  });

  it('a provider user answers for its provider, anyone else for themself', () => {
    expect(recipientIdOf(new Actor('u1', ['provider'], '320106', 'P-9'))).toBe('P-9');
    expect(recipientIdOf(new Actor('u2', ['mediator'], '320106', 'P-7'))).toBe('u2');
    expect(recipientIdOf(new Actor('u3', ['coordinator'], '320106'))).toBe('u3');
  });
});

describe('who reaches an alert', () => {
  const streetAlert = { jurisdiction: '320106001', areas: ['320106001003', '320106001004'] };

  it.each([
    ['320106', true],
    ['320106001', true],
    ['320106001003', true],
    ['320106001009', false],
    ['320102', false],
  ])('staff of %s: %s', (jurisdiction, expected) => {
    expect(staffReaches(jurisdiction, streetAlert)).toBe(expected);
  });

  it('a user of a community concerned, or of a level above, may answer; one elsewhere may not', () => {
    expect(concernsUser('320106001003', streetAlert)).toBe(true);
    expect(concernsUser('32', streetAlert)).toBe(true);
    expect(concernsUser('320106001009', streetAlert)).toBe(false);
    expect(concernsUser('320102', streetAlert)).toBe(false);
  });
});

describe('which messages are chased', () => {
  const message = (overrides: Partial<ChasedMessage> = {}): ChasedMessage => ({
    sequence: 1,
    messageType: 'alert',
    acknowledgeBy: NOW,
    expiresAt: LATER,
    ...overrides,
  });

  it('a message with a deadline, neither cancelled, superseded nor expired, is chased', () => {
    expect(chaseSkip(message(), NOW)).toBeUndefined();
  });

  it.each([
    ['no deadline', { acknowledgeBy: undefined }, 'no-deadline'],
    ['a cancel', { messageType: 'cancel' as const }, 'no-deadline'],
    ['cancelled later', { cancelledAt: NOW }, 'cancelled'],
    ['superseded by an update', { supersededBy: 2 }, 'superseded'],
    ['expired', { expiresAt: NOW }, 'expired'],
  ])('%s: not chased', (_, overrides, reason) => {
    expect(chaseSkip(message(overrides), NOW)).toBe(reason);
  });

  it('a later cancel ends an earlier chase; a later message with a deadline takes it over', () => {
    const first = { sequence: 1 };
    expect(stopByLater(first, { sequence: 3, messageType: 'cancel' })).toBe('cancelled');
    expect(stopByLater(first, { sequence: 2, messageType: 'update', acknowledgeBy: NOW })).toBe('superseded');
    expect(stopByLater(first, { sequence: 2, messageType: 'update' })).toBeUndefined();
    expect(stopByLater({ sequence: 2 }, { sequence: 2, messageType: 'cancel' })).toBeUndefined();
    expect(stopByLater({ sequence: 3 }, { sequence: 2, messageType: 'cancel' })).toBeUndefined();
  });
});

describe('chase batches', () => {
  it('cuts 1,201 silent recipients into 500, 500 and 201, in the order read', async () => {
    const silent = ids(1201);
    const batches = await collect(chaseBatches(silent, new Set(), 500));
    expect(batches.map((batch) => batch.length)).toEqual([500, 500, 201]);
    expect(batches.flat()).toEqual(silent);
  });

  it('exactly 500 make one batch; none make none', async () => {
    expect((await collect(chaseBatches(ids(500), new Set(), 500))).map((b) => b.length)).toEqual([500]);
    expect(await collect(chaseBatches([], new Set(), 500))).toEqual([]);
  });

  it('a re-run leaves out those an earlier run already named', async () => {
    const silent = ids(7);
    const batches = await collect(chaseBatches(silent, new Set(['r00000', 'r00003', 'r00006']), 3));
    expect(batches).toEqual([['r00001', 'r00002', 'r00004'], ['r00005']]);
  });

  it('reads an async source (a cursor) as well', async () => {
    async function* cursor() {
      yield* ids(4);
    }
    expect(await collect(chaseBatches(cursor(), new Set(), 3))).toEqual([
      ['r00000', 'r00001', 'r00002'],
      ['r00003'],
    ]);
  });

  it('refuses a batch size that is not a positive integer', async () => {
    await expect(collect(chaseBatches(ids(2), new Set(), 0))).rejects.toThrow(RangeError);
  });
});

describe('escalation', () => {
  it('tells the coordinators of the silent, with those who need help', () => {
    expect(escalationOf({ silent: 3, needsHelp: 1 })).toEqual({
      reason: 'unacknowledged',
      unacknowledgedCount: 3,
      needsHelpCount: 1,
    });
  });

  it('of those who need help when nobody is silent; of nothing when all is well', () => {
    expect(escalationOf({ silent: 0, needsHelp: 2 })).toEqual({
      reason: 'needs-help',
      unacknowledgedCount: 0,
      needsHelpCount: 2,
    });
    expect(escalationOf({ silent: 0, needsHelp: 0 })).toBeUndefined();
  });
});

describe('the board', () => {
  it('sums the recipients by status and answer, the re-sent, and each message’s delivery', () => {
    const board = boardOf(
      [
        { status: 'pending', count: 4, resent: 0 },
        { status: 'silent', count: 2, resent: 2 },
        { status: 'acknowledged', response: 'received', count: 3, resent: 1 },
        { status: 'acknowledged', response: 'safe', count: 5, resent: 0 },
        { status: 'needs-help', response: 'needs-help', count: 1, resent: 1 },
      ],
      [
        { sequence: 2, recipientCount: 15, completedAt: NOW },
        { sequence: 1, recipientCount: 14, completedAt: NOW },
        { sequence: 3 },
      ],
    );
    expect(board).toEqual({
      recipients: 15,
      acknowledged: 9,
      received: 3,
      safe: 5,
      needsHelp: 1,
      pending: 4,
      silent: 2,
      resent: 4,
      bySequence: [
        { sequence: 1, recipientCount: 14, completed: true },
        { sequence: 2, recipientCount: 15, completed: true },
        { sequence: 3, recipientCount: null, completed: false },
      ],
    });
  });

  it('is all zeros for an alert nobody was reached by yet', () => {
    expect(boardOf([], [{ sequence: 1 }])).toMatchObject({ recipients: 0, acknowledged: 0, pending: 0 });
  });
});
