import { createEvent } from '@linli/contracts';
import type { EventProducer, OutgoingEvent } from '@linli/messaging';
import type { AuditOutbox, AuditOutboxDocument } from './audit-outbox';
import { AuditRelay } from './audit.relay';

const settings = { intervalMs: 10, idleMaxMs: 20, batchSize: 2, shutdownFlushMs: 1000 };

/** The outbox as a map; `failDelete` makes the next delete fail (the crash between publish and delete). */
function fakeOutbox(ids: string[]) {
  const documents = new Map<string, AuditOutboxDocument>(
    ids.map((id) => [
      id,
      {
        _id: id,
        event: createEvent({
          id,
          source: '/linli/test',
          type: 'linli.gateway.audit.recorded.v1',
          subject: id,
          data: {},
        }),
        writtenAt: new Date(),
      },
    ]),
  );
  const state = { failDelete: false };
  const outbox = {
    pending: async (limit: number) => [...documents.values()].slice(0, limit),
    remove: async (removed: readonly string[]) => {
      if (state.failDelete) {
        state.failDelete = false;
        throw new Error('connection lost');
      }
      for (const id of removed) documents.delete(id);
    },
    onAdd: () => () => undefined,
  } as unknown as AuditOutbox;
  return { outbox, documents, state };
}

function fakeProducer(fail = false) {
  const published: string[] = [];
  const producer = {
    publish: async (events: readonly OutgoingEvent[]) => {
      if (fail) throw new Error('kafka away');
      published.push(...events.map(({ topic, event }) => `${topic}/${event.id}`));
      return [];
    },
  } as unknown as EventProducer;
  return { producer, published };
}

describe('the audit relay', () => {
  it('publishes a batch to the audit topic, keyed by auditId, then deletes it', async () => {
    const { outbox, documents } = fakeOutbox(['a', 'b', 'c']);
    const { producer, published } = fakeProducer();
    const relay = new AuditRelay(outbox, producer, settings);
    expect(await relay.publishPending()).toBe(2);
    expect(published).toEqual(['linli.gateway.audit.v1/a', 'linli.gateway.audit.v1/b']);
    expect([...documents.keys()]).toEqual(['c']);
  });

  it('keeps what Kafka did not take', async () => {
    const { outbox, documents } = fakeOutbox(['a']);
    await expect(
      new AuditRelay(outbox, fakeProducer(true).producer, settings).publishPending(),
    ).rejects.toThrow();
    expect([...documents.keys()]).toEqual(['a']);
  });

  it('publishes again what it could not delete after publishing (the gateway appends each auditId once)', async () => {
    const { outbox, documents, state } = fakeOutbox(['a']);
    const { producer, published } = fakeProducer();
    const relay = new AuditRelay(outbox, producer, settings);
    state.failDelete = true;
    await expect(relay.publishPending()).rejects.toThrow('connection lost');
    expect(await relay.publishPending()).toBe(1);
    expect(published).toEqual(['linli.gateway.audit.v1/a', 'linli.gateway.audit.v1/a']);
    expect(documents.size).toBe(0);
  });

  it('flushes what is pending when stopped', async () => {
    const { outbox, documents } = fakeOutbox(['a', 'b', 'c', 'd', 'e']);
    const relay = new AuditRelay(outbox, fakeProducer().producer, {
      ...settings,
      intervalMs: 60_000,
      idleMaxMs: 60_000,
    });
    relay.start();
    await relay.stop();
    expect(documents.size).toBe(0);
  });
});
