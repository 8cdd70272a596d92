// Two instances of one service on the real stack, as `LINLI_SCALE=dispatch=2 npm start` runs them: they share the
// service's consumer group (both members, the topic's partitions split between them, every event handled once
// across the two), the Bull work (offer timers) is done once whichever instance takes it, and the gateway with
// both URLs in DISPATCH_URL keeps answering, commands included, after one instance is killed with -9.
import {
  type CloudEvent,
  createEvent,
  jobEscalated,
  jobExpired,
  jobOffered,
  jobRequested,
  jobTopic,
  toKafkaRecord,
} from '@linli/contracts';
import { namespaced } from '@linli/platform';
import { authHeader, call, eventually, EventProbe, startService, type ServiceProcess } from '@linli/testing';
import { AssignerProtocol, Kafka, logLevel, type Producer } from 'kafkajs';
import { randomBytes, randomUUID } from 'node:crypto';

// A namespace of its own (topics, the consumer group, databases, Bull keys), set before anything reads it, as the
// harness gives each file of services/ and tests/e2e: a platform started by `npm start` on the same stack would
// otherwise join this file's dispatch group and take some of its job requests. Spawned instances inherit it.
process.env.LINLI_NAMESPACE = `t${randomBytes(4).toString('hex')}`;

const GULOU = '320106';
const GULOU_COMMUNITY = '320106001003';
const JOBS = 12;
/** One offer per round and short offers: each job is offered once, lapses once (Bull), then escalates. */
const DISPATCH_ENV = {
  OFFERS_PER_ROUND: '1',
  OFFER_TIMEOUT_MS: '3000',
  OFFER_TIMEOUT_IMMEDIATE_MS: '3000',
};
const supervisor = authHeader('supervisor', GULOU, { sub: 'sup-scale' });

let instances: ServiceProcess[] = [];
let gateway: ServiceProcess | undefined;
let probe: EventProbe;
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  instances = await Promise.all(
    [1, 2].map(() => startService({ name: 'dispatch', env: DISPATCH_ENV, readyTimeoutMs: 90_000 })),
  );
  gateway = await startService({
    name: 'gateway',
    env: { DISPATCH_URL: instances.map((instance) => instance.url).join(',') },
    readyTimeoutMs: 90_000,
  });
  probe = await EventProbe.start({ topic: jobTopic.name });
  kafka = new Kafka({
    brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    clientId: 'several-instances-test',
    logLevel: logLevel.NOTHING,
  });
  producer = kafka.producer();
  await producer.connect();
}, 180_000);

afterAll(async () => {
  await producer?.disconnect();
  await probe?.stop();
  await gateway?.stop();
  await Promise.all(instances.map((instance) => instance.stop()));
});

/** Each member of dispatch's consumer group and the partitions of the job topic it holds. */
async function members(): Promise<number[][]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([namespaced('linli.dispatch')]);
    return (groups[0]?.members ?? []).map((member) => {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return [...(assignment?.assignment[namespaced(jobTopic.name)] ?? [])].sort((a, b) => a - b);
    });
  } finally {
    await admin.disconnect();
  }
}

/** job.requested events this instance handled (its own Prometheus counter). */
async function handled(instance: ServiceProcess): Promise<number> {
  const text = await (await fetch(`${instance.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('linli_consumer_events_total{'))
    .filter((line) => line.includes(`type="${jobRequested.type}"`) && line.includes('outcome="handled"'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

async function requestJob(skill: string): Promise<string> {
  const jobId = randomUUID();
  const event = createEvent({
    source: '/linli/resident-requests',
    type: jobRequested.type,
    subject: jobId,
    data: {
      jobId,
      jurisdiction: GULOU_COMMUNITY,
      origin: { service: 'resident-requests', aggregateId: `T-${jobId.slice(0, 8)}` },
      category: 'repair',
      skill,
      priority: 'urgent',
    },
  });
  await producer.send({ topic: namespaced(jobTopic.name), messages: [toKafkaRecord(event)] });
  return jobId;
}

/** Events as consumers apply them: once per event id (a relay may publish one twice, at least once). */
const distinct = (events: CloudEvent[]) => [...new Map(events.map((event) => [event.id, event])).values()];

it('both instances are members of the consumer group, with the partitions split between them', async () => {
  const held = await eventually(
    'two members, each holding partitions',
    async () => {
      const found = await members();
      return found.length === 2 && found.every((partitions) => partitions.length > 0) ? found : undefined;
    },
    { timeoutMs: 60_000 },
  );
  const all = held.flat();
  expect(new Set(all).size).toBe(all.length); // no partition held twice
});

it('every job request is handled once across the two, and every offer timer fires once', async () => {
  // A provider per job (its own skill), so each job has exactly one candidate.
  const skills = Array.from({ length: JOBS }, () => `scale${randomBytes(4).toString('hex')}`);
  const created = await Promise.all(
    skills.map((skill) =>
      call(instances[0]!, 'POST', '/providers', supervisor, {
        providerId: skill,
        name: `provider ${skill}`,
        kind: 'company',
        capacity: 3,
        available: true,
        skills: [skill],
        serviceAreas: [GULOU],
        jurisdiction: GULOU,
      }),
    ),
  );
  expect(created.map((response) => response.status)).toEqual(skills.map(() => 201));
  const before = await Promise.all(instances.map(handled));
  const jobIds: string[] = [];
  for (const skill of skills) jobIds.push(await requestJob(skill));

  const of = (type: string) => (event: CloudEvent) =>
    event.type === type && jobIds.includes(event.subject as string);
  // Offered, lapsed by its timer (Bull, on either instance), escalated: each once per job.
  for (const type of [jobOffered.type, jobExpired.type, jobEscalated.type]) {
    await probe.waitFor(of(type), { count: JOBS, timeoutMs: 60_000 });
  }
  for (const type of [jobOffered.type, jobExpired.type, jobEscalated.type]) {
    const bySubject = new Map<string, number>();
    for (const event of distinct(probe.events.filter(of(type)))) {
      bySubject.set(event.subject as string, (bySubject.get(event.subject as string) ?? 0) + 1);
    }
    expect({ type, jobs: bySubject.size, once: [...bySubject.values()].every((n) => n === 1) }).toEqual({
      type,
      jobs: JOBS,
      once: true,
    });
  }
  const after = await Promise.all(instances.map(handled));
  const counts = after.map((count, index) => count - (before[index] ?? 0));
  // Keys spread over the partitions, and both instances hold some: both handled requests. One group, not a group
  // per instance (which would handle every event on both: 2 x JOBS). Exactly JOBS while the group is stable; a
  // rebalance in the run (an instance stalled past its session, on a loaded machine) may hand an event being handled
  // to the other instance, which handles it again and finds its effect there (the counts above stay once per job).
  const total = counts.reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThanOrEqual(JOBS);
  expect(total).toBeLessThan(2 * JOBS);
  expect(counts.every((count) => count > 0)).toBe(true);
});

it('the gateway balances over both URLs and keeps answering when one instance is killed with -9', async () => {
  const through = (method: string, path: string, body?: unknown) =>
    call(gateway!, method, `/api/dispatch${path}`, supervisor, body);
  const newProvider = () => {
    const providerId = `scale${randomBytes(4).toString('hex')}`;
    return through('POST', '/providers', {
      providerId,
      name: `provider ${providerId}`,
      kind: 'company',
      capacity: 1,
      available: true,
      skills: ['repair'],
      serviceAreas: [GULOU],
      jurisdiction: GULOU,
    });
  };
  for (let i = 0; i < 4; i++) expect((await through('GET', '/providers?pageSize=1')).status).toBe(200);

  await instances[1]!.kill();
  // Reads and commands alike: the one that meets the dead instance is refused before anything reached it, and the
  // gateway sends it to the live one.
  const statuses = [];
  for (let i = 0; i < 4; i++) {
    statuses.push((await through('GET', '/providers?pageSize=1')).status);
    statuses.push((await newProvider()).status);
  }
  expect(statuses).toEqual([200, 201, 200, 201, 200, 201, 200, 201]);
});
