import { createEvent, defineEvent, defineTopic, toKafkaRecord } from '@linli/contracts';
import { Type } from '@sinclair/typebox';
import {
  ConsumerConfigurationError,
  decodeMessage,
  handlerRegistry,
  nextOffset,
  onEvent,
  partitionLag,
  planMessage,
  subscribedTopics,
  type DecodedMessage,
} from './consumer.rules';

const topic = defineTopic('dispatch', 'job', 1, 'jobs');
const accepted = defineEvent(topic, 'job.accepted', Type.Object({ providerId: Type.String() }), 'accepted');
const declined = defineEvent(topic, 'job.declined', Type.Object({ reason: Type.String() }), 'declined');
const handler = onEvent(accepted, async () => undefined);
const registry = handlerRegistry([handler]);

const record = (type: string, data: unknown) =>
  toKafkaRecord(createEvent({ source: '/linli/dispatch', type, subject: 'job-1', data }));

describe('decodeMessage', () => {
  it('calls a record without CloudEvents headers malformed', () => {
    const decoded = decodeMessage({ key: 'job-1', value: '{}', headers: {} }, registry);
    expect(decoded).toEqual({ kind: 'malformed', error: 'missing CloudEvents attribute ce_specversion' });
  });

  it('calls a record whose value is not JSON malformed', () => {
    const decoded = decodeMessage({ ...record(accepted.type, {}), value: '{nope' }, registry);
    expect(decoded.kind).toBe('malformed');
  });

  it('leaves an event type without a handler to others', () => {
    expect(decodeMessage(record(declined.type, { reason: 'busy' }), registry).kind).toBe('unhandled');
  });

  it('names the field at fault when the data fails the schema', () => {
    const decoded = decodeMessage(record(accepted.type, { providerId: 7 }), registry);
    expect(decoded).toMatchObject({
      kind: 'invalid',
      error: expect.stringContaining('/providerId must be string'),
    });
  });

  it('hands a valid event to its handler', () => {
    const decoded = decodeMessage(record(accepted.type, { providerId: 'p-1' }), registry);
    expect(decoded).toMatchObject({ kind: 'apply', handler, event: { data: { providerId: 'p-1' } } });
  });
});

describe('planMessage', () => {
  const event = createEvent({ source: '/x', type: accepted.type, subject: 's', data: { providerId: 'p' } });
  const cases: [string, DecodedMessage, string[], string][] = [
    ['malformed', { kind: 'malformed', error: 'e' }, [], 'dead-letter'],
    ['invalid', { kind: 'invalid', event, error: 'e' }, [], 'dead-letter'],
    ['unhandled', { kind: 'unhandled', event }, [], 'skip:skipped'],
    ['already processed', { kind: 'apply', event, handler }, [event.id], 'skip:duplicate'],
    ['new', { kind: 'apply', event, handler }, [], 'apply'],
  ];
  it.each(cases)('%s -> %s', (_name, decoded, processed, expected) => {
    const plan = planMessage(decoded, new Set(processed));
    expect(plan.action === 'skip' ? `skip:${plan.outcome}` : plan.action).toBe(expected);
  });
});

describe('handlerRegistry', () => {
  it('refuses two handlers for one event type', () => {
    expect(() => handlerRegistry([handler, onEvent(accepted, async () => undefined)])).toThrow(
      ConsumerConfigurationError,
    );
  });

  it('subscribes to each topic once', () => {
    expect(subscribedTopics([handler, onEvent(declined, async () => undefined)])).toEqual([topic.name]);
  });
});

describe('offsets', () => {
  it('commits the offset after the one handled', () => {
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
  });

  it.each([
    ['10', '4', 5],
    ['10', '9', 0],
    ['10', '12', 0],
  ])('lag with high watermark %s after offset %s is %i', (hw, offset, lag) => {
    expect(partitionLag(hw, offset)).toBe(lag);
  });
});
