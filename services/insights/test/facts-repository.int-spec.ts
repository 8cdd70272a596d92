// FactsRepository against the real store. The bounded read as the store answers it: random facts written to the fact collections (with those of another
// district beside them), then FactsRepository.factsUnder(node, range) must return exactly the facts that
// indicators/fact-ranges.ts's predicates keep of the node's whole set, for a day, a trend's week and a month, at
// the community, its district, and a node holding none (the arithmetic on those facts is fact-ranges.spec.ts's).
// And the remembered facts of the fold: a fact changed behind a process's back (another instance) is reloaded,
// not overwritten, and a repeat is still a no-op.
import mongoose, { type Connection, type Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import type { CloudEvent } from '@linli/contracts';
import {
  ALERT_FACT_MODEL,
  ALERT_RECIPIENT_FACT_MODEL,
  alertRecipientKey,
  CASE_FACT_MODEL,
  ELDER_FACT_MODEL,
  FACT_MODELS,
  FEEDBACK_FACT_MODEL,
  JOB_FACT_MODEL,
  TICKET_FACT_MODEL,
  VISIT_FACT_MODEL,
} from '../src/facts/fact.models';
import { FactsRepository } from '../src/facts/facts.repository';
import { factsInRange, rangeOf } from '../src/indicators/fact-ranges';
import type { FactSet, TicketFact } from '../src/indicators/facts';
import { trendPeriods } from '../src/indicators/periods';
import { randomFacts } from './random-facts';

const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';
const COMMUNITY = '320106001001';
const XUANWU_COMMUNITY = '320102002001';

/** A fact set in a stable order, so two reads compare whatever order the store returns them in. */
function sorted(facts: FactSet): FactSet {
  const order = <T>(list: T[]) =>
    list
      .map((f) => JSON.stringify(f))
      .sort()
      .map((s) => JSON.parse(s) as T);
  return Object.fromEntries(
    Object.entries(facts).map(([k, list]) => [k, order(list as unknown[])]),
  ) as unknown as FactSet;
}

describe('FactsRepository.factsUnder bounded by a range', () => {
  let connection: Connection;
  let repository: FactsRepository;
  let other: FactsRepository;
  let tickets: Model<Record<string, unknown>>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(mongoUrl, { dbName: `insights-bounded-${randomUUID().slice(0, 8)}` })
      .asPromise();
    const models = Object.fromEntries(
      FACT_MODELS.map(({ name, schema }) => [name, connection.model(name, schema)]),
    ) as unknown as Record<string, Model<Record<string, unknown>>>;
    await Promise.all(Object.values(models).map((m) => m.createIndexes()));
    const make = () =>
      new FactsRepository(
        models[TICKET_FACT_MODEL] as never,
        models[JOB_FACT_MODEL] as never,
        models[ELDER_FACT_MODEL] as never,
        models[VISIT_FACT_MODEL] as never,
        models[CASE_FACT_MODEL] as never,
        models[FEEDBACK_FACT_MODEL] as never,
        models[ALERT_FACT_MODEL] as never,
        models[ALERT_RECIPIENT_FACT_MODEL] as never,
      );
    repository = make();
    other = make();
    tickets = models[TICKET_FACT_MODEL];
    for (const [seed, jurisdiction] of [
      [11, COMMUNITY],
      [12, XUANWU_COMMUNITY],
    ] as const) {
      const f = randomFacts(seed, jurisdiction);
      const tag = `${seed}-`;
      await Promise.all([
        models[TICKET_FACT_MODEL].insertMany(f.tickets.map((x) => ({ ...x, _id: tag + x.ticketId }))),
        models[FEEDBACK_FACT_MODEL].insertMany(f.feedback.map((x) => ({ ...x, _id: tag + x.eventId }))),
        models[JOB_FACT_MODEL].insertMany(f.jobs.map((x) => ({ ...x, _id: tag + x.jobId }))),
        models[ELDER_FACT_MODEL].insertMany(f.elders.map((x) => ({ ...x, _id: tag + x.elderId }))),
        models[VISIT_FACT_MODEL].insertMany(f.visits.map((x) => ({ ...x, _id: tag + x.visitId }))),
        models[CASE_FACT_MODEL].insertMany(f.cases.map((x) => ({ ...x, _id: tag + x.caseId }))),
        models[ALERT_FACT_MODEL].insertMany(f.alerts.map((x) => ({ ...x, _id: tag + x.alertId }))),
        models[ALERT_RECIPIENT_FACT_MODEL].insertMany(
          f.alertRecipients.map((x) => ({ ...x, _id: tag + alertRecipientKey(x.alertId, x.recipientId) })),
        ),
      ]);
    }
  });

  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });

  const ranges = {
    day: rangeOf(trendPeriods('day', '2026-03-07', 1)),
    week: rangeOf(trendPeriods('day', '2026-03-10', 7)),
    month: rangeOf(trendPeriods('month', '2026-03-15', 1)),
  };

  it.each(['320106', COMMUNITY, '320106002'])(
    'returns exactly the facts the range needs under %s',
    async (node) => {
      const all = await repository.factsUnder(node);
      if (node === '320106002') expect(Object.values(all).flat()).toHaveLength(0);
      else expect(all.tickets.length).toBeGreaterThan(0);
      expect(
        Object.values(all)
          .flat()
          .some((f) => f.jurisdiction === XUANWU_COMMUNITY),
      ).toBe(false);
      for (const range of Object.values(ranges)) {
        const bounded = await repository.factsUnder(node, range);
        expect(sorted(bounded)).toEqual(sorted(factsInRange(all, range)));
      }
      // Not vacuous: a day leaves facts out.
      if (node !== '320106002') {
        const day = await repository.factsUnder(node, ranges.day);
        expect(day.tickets.length).toBeLessThan(all.tickets.length);
        expect(day.elders.length).toBeLessThan(all.elders.length);
      }
    },
  );

  it('reloads a remembered fact another process changed, and still skips a repeat', async () => {
    const event = (id: string) => ({ id, type: 'test.event' }) as unknown as CloudEvent;
    const ticket = (fact: TicketFact | undefined, category: string): TicketFact => ({
      ticketId: 'tx',
      version: 0,
      jurisdiction: '320106001002',
      createdAt: new Date('2026-03-01T00:00:00Z'),
      ...fact,
      category: `${fact?.category ?? ''}${category}`,
    });
    // This process creates and remembers it; another process applies the next version behind its back.
    expect(await repository.applyVersioned('tickets', 'tx', event('e1'), 1, (f) => ticket(f, 'a'))).toBe(
      true,
    );
    expect(await other.applyVersioned('tickets', 'tx', event('e2'), 2, (f) => ticket(f, 'b'))).toBe(true);
    // The remembered copy is stale (version 1): the write's condition fails, the stored one is read and changed.
    expect(await repository.applyVersioned('tickets', 'tx', event('e3'), 3, (f) => ticket(f, 'c'))).toBe(
      true,
    );
    // A repeat, from memory and from the store, changes nothing; an older version neither.
    expect(await repository.applyVersioned('tickets', 'tx', event('e3'), 3, (f) => ticket(f, 'X'))).toBe(
      false,
    );
    expect(await other.applyVersioned('tickets', 'tx', event('e3'), 3, (f) => ticket(f, 'X'))).toBe(false);
    expect(await other.applyVersioned('tickets', 'tx', event('e2'), 2, (f) => ticket(f, 'X'))).toBe(false);
    const stored = await tickets.findById('tx').lean().exec();
    expect(stored).toMatchObject({ category: 'abc', version: 3, appliedEventIds: ['e3'], revision: 2 });
  });
});
