import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic, dlqTopicOf, producersOf, topicName, validateEventData } from './registry';
import { jobAccepted, jobRequested } from './dispatch/job.events';

const validRequest = {
  jobId: 'job-1',
  jurisdiction: '320106001001',
  origin: { service: 'elder-care', aggregateId: 'visit-9' },
  category: 'elder-care',
  skill: 'meal-delivery',
  priority: 'routine',
  dueBy: '2025-03-01T10:00:00+08:00',
  preferredProviderKinds: ['social-worker', 'volunteer'],
};

describe('topic and event names', () => {
  it('builds linli.<service>.<aggregate>.v<major> and its .dlq', () => {
    expect(topicName('dispatch', 'job', 1)).toBe('linli.dispatch.job.v1');
    expect(dlqTopicOf('linli.dispatch.job.v1')).toBe('linli.dispatch.job.v1.dlq');
  });

  it('types an event linli.<service>.<aggregate>.<event>.v<major>, the topic major unless told', () => {
    const topic = defineTopic('demo', 'thing', 2, 'things');
    expect(defineEvent(topic, 'thing.happened', Type.Object({}), 'it happened').type).toBe(
      'linli.demo.thing.happened.v2',
    );
    expect(defineEvent(topic, 'thing.happened', Type.Object({}), 'it happened', 3).type).toBe(
      'linli.demo.thing.happened.v3',
    );
  });
});

describe('producersOf', () => {
  it("is the topic's own service unless the event names its producers", () => {
    expect(producersOf(jobAccepted)).toEqual(['dispatch']);
    expect(producersOf(jobRequested)).toEqual(['resident-requests', 'elder-care', 'mediation', 'emergency']);
  });
});

describe('validateEventData', () => {
  it('accepts valid data and returns it', () => {
    expect(validateEventData(jobRequested, validRequest)).toEqual({ ok: true, data: validRequest });
  });

  it.each([
    ['a wrong pattern', { jurisdiction: '32A' }, '/jurisdiction must match pattern'],
    [
      'a value outside the enum',
      { priority: 'whenever' },
      '/priority must be one of immediate, urgent, routine',
    ],
    [
      'a nested value outside the enum',
      { origin: { service: 'billing', aggregateId: 'x' } },
      '/origin/service',
    ],
    ['a malformed date-time', { dueBy: 'tomorrow' }, '/dueBy must match format "date-time"'],
    ['a wrong type', { preferredProviderKinds: 'volunteer' }, '/preferredProviderKinds must be array'],
    ['a wrong array item', { preferredProviderKinds: ['robot'] }, '/preferredProviderKinds/0 must be one of'],
  ])('rejects %s, naming the field', (_case, change, message) => {
    const result = validateEventData(jobRequested, { ...validRequest, ...change });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.join('\n')).toContain(message);
  });

  it('names a missing field, nested or not', () => {
    const { category: _category, ...withoutCategory } = validRequest;
    const result = validateEventData(jobRequested, { ...withoutCategory, origin: { service: 'mediation' } });
    expect(!result.ok && result.errors).toEqual(
      expect.arrayContaining(['/category is required', '/origin/aggregateId is required']),
    );
  });

  it('rejects unknown fields at any depth, naming them', () => {
    const result = validateEventData(jobRequested, {
      ...validRequest,
      residentPhone: '13800000000',
      origin: { ...validRequest.origin, note: 'x' },
    });
    expect(!result.ok && result.errors).toEqual(
      expect.arrayContaining([
        '/residentPhone is not allowed (unknown field)',
        '/origin/note is not allowed (unknown field)',
      ]),
    );
  });

  it('rejects data that is not an object', () => {
    expect(validateEventData(jobRequested, 'job-1')).toEqual({ ok: false, errors: ['/ must be object'] });
    expect(validateEventData(jobRequested, null).ok).toBe(false);
  });

  it('does not coerce types (a number where a string id belongs is an error)', () => {
    expect(validateEventData(jobRequested, { ...validRequest, jobId: 42 }).ok).toBe(false);
  });
});
