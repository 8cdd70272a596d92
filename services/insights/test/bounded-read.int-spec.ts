// The bounded read as the store answers it: random facts written to the fact collections (with those of another
// district beside them), then FactsRepository.factsUnder(node, range) must return exactly the facts that
// indicators/fact-ranges.ts's predicates keep of the node's whole set, for a day, a trend's week and a month, at
// the community, its district, and a node holding none. The arithmetic on those facts is fact-ranges.spec.ts's.
import mongoose, { type Connection, type Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
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
import type { FactSet } from '../src/indicators/facts';
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

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(mongoUrl, { dbName: `insights-bounded-${randomUUID().slice(0, 8)}` })
      .asPromise();
    const models = Object.fromEntries(
      FACT_MODELS.map(({ name, schema }) => [name, connection.model(name, schema)]),
    ) as unknown as Record<string, Model<Record<string, unknown>>>;
    await Promise.all(Object.values(models).map((m) => m.createIndexes()));
    repository = new FactsRepository(
      models[TICKET_FACT_MODEL] as never,
      models[JOB_FACT_MODEL] as never,
      models[ELDER_FACT_MODEL] as never,
      models[VISIT_FACT_MODEL] as never,
      models[CASE_FACT_MODEL] as never,
      models[FEEDBACK_FACT_MODEL] as never,
      models[ALERT_FACT_MODEL] as never,
      models[ALERT_RECIPIENT_FACT_MODEL] as never,
    );
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
});
