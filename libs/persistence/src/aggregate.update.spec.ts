import { createEvent } from '@linli/contracts';
import { conditionalUpdate, InvalidAggregateChangeError } from './aggregate.update';

const event = createEvent({
  source: '/linli/test',
  type: 'linli.test.thing.done.v1',
  subject: 't-1',
  data: {},
});

describe('conditionalUpdate', () => {
  it('filters on id and expected version, and bumps the version', () => {
    expect(conditionalUpdate({ id: 't-1', expectedVersion: 3 })).toEqual({
      filter: { _id: 't-1', version: 3 },
      update: { $inc: { version: 1 } },
    });
  });

  it.each([
    ['one status', 'open', 'open'],
    ['several statuses', ['open', 'triaged'], { $in: ['open', 'triaged'] }],
  ])('adds the expected status to the filter (%s)', (_, expectedStatus, condition) => {
    const { filter } = conditionalUpdate({ id: 't-1', expectedVersion: 0, expectedStatus });
    expect(filter).toEqual({ _id: 't-1', version: 0, status: condition });
  });

  it('reads the status from another path when told', () => {
    const { filter } = conditionalUpdate({
      id: 't-1',
      expectedVersion: 0,
      expectedStatus: 'a',
      statusPath: 'state.phase',
    });
    expect(filter).toEqual({ _id: 't-1', version: 0, 'state.phase': 'a' });
  });

  it('sets the changes and pushes the events onto the outbox in order, in the same update', () => {
    const second = { ...event, id: 'second' };
    const { update } = conditionalUpdate({
      id: 't-1',
      expectedVersion: 1,
      set: { status: 'closed', 'resolution.code': 'done' },
      events: [
        { topic: 'linli.test.thing.v1', event },
        { topic: 'linli.test.thing.v1', event: second },
      ],
    });
    expect(update).toEqual({
      $set: { status: 'closed', 'resolution.code': 'done' },
      $inc: { version: 1 },
      $push: {
        outbox: {
          $each: [
            { topic: 'linli.test.thing.v1', event },
            { topic: 'linli.test.thing.v1', event: second },
          ],
        },
      },
    });
  });

  it.each(['version', 'outbox', 'outboxLease.owner', '_id'])('refuses a change that sets %s', (path) => {
    expect(() => conditionalUpdate({ id: 't-1', expectedVersion: 0, set: { [path]: 1 } })).toThrow(
      InvalidAggregateChangeError,
    );
  });
});
