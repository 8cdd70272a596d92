// Poison records for every domain topic, and the proof of what the consumers did with them: a record they cannot
// read is copied to `<topic>.dlq` by every group that reads the topic, an event of a type no one handles is skipped,
// and in both cases every group moves past it (its committed offset beyond the record), so no partition is blocked.
import {
  allEvents,
  allTopics,
  createEvent,
  dlqTopicOf,
  toKafkaRecord,
  validateEventData,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { groupTopics, kafkaOf, readTopic, withAdmin } from './kafka';
import type { Finding, PartCheck } from './types';

export type PoisonKind = 'not-json' | 'not-cloudevent' | 'unknown-type' | 'invalid-body' | 'huge';

export interface PoisonRecord {
  kind: PoisonKind;
  topic: string;
  partition: number;
  offset: string;
  key: string;
}

/** Just under Kafka's default 1 MB message limit, so its DLQ copy (value plus dlq-* headers) still fits. */
export const HUGE_VALUE_BYTES = 900_000;

/** Kinds every reading group must dead-letter (malformed for all); the others depend on who handles the type. */
const ALWAYS_DEAD_LETTERED: readonly PoisonKind[] = ['not-json', 'not-cloudevent', 'huge'];

interface Outgoing {
  kind: PoisonKind;
  key: string;
  value: string;
  headers: Record<string, string>;
}

function poisonFor(topicName: string, run: string): Outgoing[] {
  const known = allEvents.find((e) => e.topic.name === topicName);
  const key = (kind: PoisonKind) => `chaos-poison-${run}-${kind}`;
  const event = (type: string, data: unknown) =>
    toKafkaRecord(createEvent({ source: '/linli/chaos', type, subject: 'x', data, jurisdiction: '320106' }));
  const invalidBody = [{ chaosPoison: true }, 42, 'text', null].find(
    (data) => known && !validateEventData(known, data).ok,
  );
  const records: Outgoing[] = [
    {
      kind: 'not-json',
      key: key('not-json'),
      value: '{"ticketId": "unterminated',
      headers: known ? event(known.type, {}).headers : {},
    },
    {
      kind: 'not-cloudevent',
      key: key('not-cloudevent'),
      value: JSON.stringify({ hello: 'a JSON value without ce_* headers' }),
      headers: {},
    },
    {
      kind: 'unknown-type',
      ...event('linli.chaos.nobody-handles-this.v1', { note: 'unknown type' }),
      key: key('unknown-type'),
    },
    { kind: 'huge', key: key('huge'), value: 'x'.repeat(HUGE_VALUE_BYTES), headers: {} },
  ];
  if (known && invalidBody !== undefined) {
    records.push({ kind: 'invalid-body', ...event(known.type, invalidBody), key: key('invalid-body') });
  }
  return records;
}

/** Produces the poison on every topic of the platform (in the run's namespace) and returns where each landed. */
export async function producePoison(env: Record<string, string>): Promise<PoisonRecord[]> {
  const producer = kafkaOf(env, 'linli-chaos-poison').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const run = Date.now().toString(36);
  const landed: PoisonRecord[] = [];
  try {
    for (const definition of allTopics) {
      const topic = namespaced(definition.name, '.', env);
      for (const record of poisonFor(definition.name, run)) {
        const [meta] = await producer.send({
          topic,
          acks: -1,
          messages: [{ key: record.key, value: record.value, headers: record.headers }],
        });
        landed.push({
          kind: record.kind,
          topic,
          partition: meta?.partition ?? -1,
          offset: meta?.baseOffset ?? '-1',
          key: record.key,
        });
      }
    }
  } finally {
    await producer.disconnect();
  }
  return landed;
}

/** Where each poison record went: DLQ copies by consumer group, and whether every reading group moved past it. */
export async function checkPoison(env: Record<string, string>, records: PoisonRecord[]): Promise<PartCheck> {
  const namespace = env['LINLI_NAMESPACE'] as string;
  const kafka = kafkaOf(env, 'linli-chaos-poison-check');
  const readers = await withAdmin(env, (admin) => groupTopics(admin, namespace));
  const committed = await withAdmin(env, async (admin) => {
    const at = new Map<string, number>();
    for (const [group, topics] of readers) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group, topics })) {
        for (const p of partitions) at.set(`${group}|${topic}|${p.partition}`, Number(p.offset));
      }
    }
    return at;
  });
  const copies = new Map<string, string[]>(); // origin topic|partition|offset -> groups that dead-lettered it
  for (const topic of new Set(records.map((r) => r.topic))) {
    for (const { message } of await readTopic(kafka, dlqTopicOf(topic))) {
      const h = (name: string) => message.headers?.[name]?.toString() ?? '';
      const origin = `${h('dlq-origin-topic')}|${h('dlq-origin-partition')}|${h('dlq-origin-offset')}`;
      copies.set(origin, [...(copies.get(origin) ?? []), h('dlq-consumer-group')]);
    }
  }
  const lost: Finding[] = [];
  const duplicated: Finding[] = [];
  const notes: string[] = [];
  const unread = new Set<string>();
  let final = 0;
  for (const record of records) {
    const id = `${record.topic}[${record.partition}]@${record.offset} (${record.kind})`;
    const groups = [...readers].filter(([, topics]) => topics.includes(record.topic)).map(([g]) => g);
    const blocking = groups.filter(
      (g) => (committed.get(`${g}|${record.topic}|${record.partition}`) ?? -1) <= Number(record.offset),
    );
    const letters = copies.get(`${record.topic}|${record.partition}|${record.offset}`) ?? [];
    const problems: string[] = [];
    if (blocking.length) problems.push(`not moved past by ${blocking.join(', ')}`);
    if (ALWAYS_DEAD_LETTERED.includes(record.kind)) {
      const missing = groups.filter((g) => !letters.includes(g));
      if (missing.length) problems.push(`no DLQ copy from ${missing.join(', ')}`);
    }
    if (record.kind === 'unknown-type' && letters.length) {
      problems.push(`dead-lettered by ${letters.join(', ')} though no one handles its type`);
    }
    const twice = letters.filter((g, i) => letters.indexOf(g) !== i);
    if (twice.length) duplicated.push({ id, what: `dead-lettered more than once by ${twice.join(', ')}` });
    if (groups.length === 0) unread.add(record.topic);
    if (problems.length) lost.push({ id, what: problems.join('; ') });
    else final += 1;
  }
  if (unread.size)
    notes.push(`read by no consumer group (nothing to dead-letter): ${[...unread].join(', ')}`);
  notes.push(
    `${records.length} poison records on ${new Set(records.map((r) => r.topic)).size} topics; ` +
      `${[...copies.values()].flat().length} DLQ copies`,
  );
  return { part: 'poison', expected: records.length, final, lost, duplicated, notes };
}
