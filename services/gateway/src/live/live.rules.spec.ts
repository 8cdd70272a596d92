import { allTopics, auditTopic, createEvent, jobTopic } from '@linli/contracts';
import {
  admission,
  changeEvent,
  contractTopicOf,
  liveTopics,
  msUntilExpiry,
  noticeOf,
  receives,
  streamOpening,
} from './live.rules';

describe('live push rules', () => {
  it('reads every domain topic but the audit log', () => {
    const topics = liveTopics(allTopics, [auditTopic]).map((topic) => topic.name);

    expect(topics).not.toContain(auditTopic.name);
    expect(topics).toContain(jobTopic.name);
    expect(topics).toHaveLength(allTopics.length - 1);
  });

  it.each([
    ['t1a2b3c4.linli.dispatch.job.v1', 't1a2b3c4', 'linli.dispatch.job.v1'],
    ['linli.dispatch.job.v1', undefined, 'linli.dispatch.job.v1'],
    ['linli.dispatch.job.v1', 'staging', 'linli.dispatch.job.v1'],
  ])('names topic %s as the contract does (namespace %s): %s', (kafkaTopic, namespace, expected) => {
    expect(contractTopicOf(kafkaTopic, namespace)).toBe(expected);
  });

  it("keeps an event's ids and never its data", () => {
    const event = createEvent({
      source: '/linli/dispatch',
      type: 'linli.dispatch.job.accepted.v1',
      subject: 'J1',
      jurisdiction: '320106002001',
      time: '2026-11-29T08:00:00.000Z',
      data: { jobId: 'J1', phone: '13800000000' },
    });

    const notice = noticeOf(event, 'linli.dispatch.job.v1');

    expect(notice).toEqual({
      id: event.id,
      topic: 'linli.dispatch.job.v1',
      type: 'linli.dispatch.job.accepted.v1',
      subject: 'J1',
      jurisdiction: '320106002001',
      time: '2026-11-29T08:00:00.000Z',
    });
    expect(changeEvent(notice)).not.toContain('13800000000');
  });

  it('gives an event without a jurisdiction a null one', () => {
    const event = createEvent({ source: '/linli/x', type: 't', subject: 's', data: {} });

    expect(noticeOf(event, 'topic').jurisdiction).toBeNull();
  });

  it.each([
    ['32', '320106002001', true],
    ['320106', '320106', true],
    ['320106', '320105001001', false],
    // A community's user does not hear of what happens at district level.
    ['320106002001', '320106', false],
    ['320106', null, true],
    ['320106', '', true],
  ])('a user of %s receives a notice of %s: %s', (user, event, expected) => {
    expect(receives(user, event)).toBe(expected);
  });

  it('writes a notice as one server-sent event named change, with its id', () => {
    const notice = {
      id: 'e-1',
      topic: 'linli.dispatch.job.v1',
      type: 'linli.dispatch.job.accepted.v1',
      subject: 'J1',
      jurisdiction: '320106',
      time: '2026-11-29T08:00:00.000Z',
    };

    expect(changeEvent(notice)).toBe(`event: change\nid: e-1\ndata: ${JSON.stringify(notice)}\n\n`);
  });

  it('leaves out an id that would break the framing, and keeps line breaks inside the JSON escaped', () => {
    const text = changeEvent({
      id: 'e-1\n\nevent: forged',
      topic: 't',
      type: 'x\ny',
      subject: 's',
      jurisdiction: null,
      time: 'now',
    });

    expect(text.startsWith('event: change\ndata: ')).toBe(true);
    expect(text.indexOf('\n\n')).toBe(text.length - 2);
  });

  it('opens a stream with the reconnect delay and a comment', () => {
    expect(streamOpening(3000)).toBe('retry: 3000\n: connected\n\n');
  });

  it.each([
    [0, 0, 'admitted'],
    [4, 100, 'admitted'],
    [5, 100, 'user-full'],
    [1, 1000, 'instance-full'],
  ] as const)('with %i streams of the user and %i in all: %s', (mine, all, expected) => {
    expect(admission(mine, all, { perUser: 5, total: 1000 })).toBe(expected);
  });

  it('counts the time left until a token expires, never below zero', () => {
    const now = Date.UTC(2026, 10, 29, 8);

    expect(msUntilExpiry(now / 1000 + 90, now)).toBe(90_000);
    expect(msUntilExpiry(now / 1000 - 5, now)).toBe(0);
    expect(msUntilExpiry(undefined, now)).toBeUndefined();
  });
});
