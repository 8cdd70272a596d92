import { Schema } from 'mongoose';
import { aggregatePlugin, OUTBOX_PENDING_INDEX } from './aggregate.plugin';

describe('aggregatePlugin', () => {
  const schema = new Schema({ status: String });
  schema.plugin(aggregatePlugin);

  it('adds version, outbox and the lease', () => {
    expect(schema.path('version')).toBeDefined();
    expect(schema.path('outbox')).toBeDefined();
    expect(schema.path('outboxLease')).toBeDefined();
  });

  it('indexes pending events sparsely, so documents without any are not in the index', () => {
    expect(schema.indexes()).toContainEqual([
      { 'outbox.event.id': 1 },
      expect.objectContaining({ sparse: true, name: OUTBOX_PENDING_INDEX }),
    ]);
  });
});
