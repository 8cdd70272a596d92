import { InvalidDueTimeError, InvalidJobIdError, InvalidJobPayloadError } from './scheduling.errors';
import {
  assertDueTime,
  assertIdsOnlyPayload,
  buildJobId,
  delayUntil,
  dueTimeFromDelayedScore,
  isFinalAttempt,
  isLiveState,
  isStrandedDelayedJob,
} from './scheduling.rules';

const idLimits = { maxLength: 64 };
const payloadLimits = { maxKeys: 3, maxValueLength: 24 };

describe('buildJobId', () => {
  it.each([
    ['callback', ['T-42', 2], 'callback:T-42:2'],
    ['offer-expiry', ['665f1c2a9b1e8a0012345678'], 'offer-expiry:665f1c2a9b1e8a0012345678'],
    ['visit.reminder', ['320106001001', 'E7', 20250301], 'visit.reminder:320106001001:E7:20250301'],
  ])('builds %s from its parts deterministically', (name, parts, expected) => {
    expect(buildJobId(name, parts, idLimits)).toBe(expected);
    expect(buildJobId(name, parts, idLimits)).toBe(buildJobId(name, [...parts], idLimits));
  });

  it.each([
    ['a part containing the separator', 'callback', ['a:b']],
    ['a part with spaces', 'callback', ['a b']],
    ['an empty part', 'callback', ['']],
    ['no parts', 'callback', []],
    ['a non-finite number', 'callback', [Number.NaN]],
    ['a job name with a colon', 'call:back', ['1']],
    ['an upper-case job name', 'Callback', ['1']],
    ['an id longer than the limit', 'callback', ['x'.repeat(70)]],
  ])('rejects %s', (_case, name, parts) => {
    expect(() => buildJobId(name as string, parts as (string | number)[], idLimits)).toThrow(
      InvalidJobIdError,
    );
  });
});

describe('delayUntil', () => {
  const now = new Date('2025-03-01T08:00:00Z');
  it.each([
    ['a future due time', '2025-03-01T08:00:05Z', 5000],
    ['the current instant', '2025-03-01T08:00:00Z', 0],
    ['an overdue time', '2025-03-01T07:00:00Z', 0],
  ])('gives the remaining delay for %s', (_case, due, expected) => {
    expect(delayUntil(new Date(due), now)).toBe(expected);
  });
});

describe('assertDueTime', () => {
  it('rejects an invalid date', () => {
    expect(() => assertDueTime(new Date('not a date'))).toThrow(InvalidDueTimeError);
  });
});

describe('assertIdsOnlyPayload', () => {
  it.each([
    [{ ticketId: 'T-42', attempt: 2 }],
    [{ communityCode: '320106001001' }],
    [{ ref: 'dispatch/job:665f1c2a' }],
    [{}],
  ])('accepts ids %j', (payload) => {
    expect(() => assertIdsOnlyPayload(payload, payloadLimits)).not.toThrow();
  });

  it.each([
    ['a name', { residentName: '张三' }, 'residentName'],
    ['free text', { note: 'call her after lunch' }, 'note'],
    ['an e-mail address', { contact: 'a@example.com' }, 'contact'],
    ['a mobile number', { phone: '13812345678' }, 'phone'],
    ['an identity number', { idNo: '11010519491231002X' }, 'idNo'],
    ['a nested object', { ticket: { id: '1' } }, 'ticket'],
    ['a boolean', { urgent: true }, 'urgent'],
    ['a too long value', { id: 'x'.repeat(25) }, 'id'],
    ['an empty string', { id: '' }, 'id'],
    ['an odd field name', { 'a b': '1' }, 'a b'],
  ])('rejects %s', (_case, payload, field) => {
    try {
      assertIdsOnlyPayload(payload, payloadLimits);
      throw new Error('expected a rejection');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidJobPayloadError);
      expect((error as InvalidJobPayloadError).field).toBe(field);
    }
  });

  it.each([[null], [[1, 2]], ['T-42'], [{ a: '1', b: '2', c: '3', d: '4' }]])(
    'rejects the shape %j',
    (payload) => {
      expect(() => assertIdsOnlyPayload(payload, payloadLimits)).toThrow(InvalidJobPayloadError);
    },
  );
});

describe('Bull job states', () => {
  it.each([
    ['waiting', true],
    ['delayed', true],
    ['active', true],
    ['paused', true],
    ['completed', false],
    ['failed', false],
    ['stuck', false],
  ])('%s counts as live: %s', (state, live) => {
    expect(isLiveState(state)).toBe(live);
  });

  it('reads the due time from a delayed score', () => {
    const due = Date.parse('2025-03-01T08:00:00Z');
    expect(dueTimeFromDelayedScore(due * 0x1000 + 0xabc)).toBe(due);
  });

  it('calls a delayed job stranded only past the grace period', () => {
    const due = Date.parse('2025-03-01T08:00:00Z');
    expect(isStrandedDelayedJob(due, new Date(due + 1000), 5000)).toBe(false);
    expect(isStrandedDelayedJob(due, new Date(due + 6000), 5000)).toBe(true);
  });

  it.each([
    [0, 3, false],
    [1, 3, false],
    [2, 3, true],
    [0, 1, true],
  ])('after %i attempts made of %i, the next failure is final: %s', (made, max, final) => {
    expect(isFinalAttempt(made, max)).toBe(final);
  });
});
