// Every read and write of the fact collections. Writes are idempotent so a repeated or replayed event changes
// nothing: a versioned fact applies an event only when the event's aggregate version is not older than the fact's
// and its id is not among those already applied at that version (one write of an aggregate may carry several events
// with one version: ticket.created, ticket.triaged and ticket.routed are all version 0); facts of one event are
// inserted under its id once; alert recipients, fed by two streams in no set order, take each field's earliest.
import type { CloudEvent } from '@linli/contracts';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type {
  AlertFact,
  AlertRecipientFact,
  CaseFact,
  ElderFact,
  FactSet,
  FeedbackFact,
  JobFact,
  TicketFact,
  VisitFact,
} from '../indicators/facts';
import {
  ALERT_FACT_MODEL,
  ALERT_RECIPIENT_FACT_MODEL,
  alertRecipientKey,
  BOOKKEEPING_PATHS,
  CASE_FACT_MODEL,
  ELDER_FACT_MODEL,
  FEEDBACK_FACT_MODEL,
  JOB_FACT_MODEL,
  TICKET_FACT_MODEL,
  VISIT_FACT_MODEL,
} from './fact.models';
import { alertsIssuedIn, type FactRange } from '../indicators/fact-ranges';
import { appliedAfter, isNews } from './projection.rules';

/** A versioned fact as stored: the record plus what makes its writes idempotent. */
type Stored<F> = F & { _id: string; appliedEventIds: string[]; revision: number };

/** The versioned fact kinds, by the name the consumers use. */
export type VersionedKind = 'tickets' | 'jobs' | 'elders' | 'visits' | 'cases';
interface VersionedFacts {
  tickets: TicketFact;
  jobs: JobFact;
  elders: ElderFact;
  visits: VisitFact;
  cases: CaseFact;
}

/** Two writers raced on one fact (a rebalance handing its partition over): the runner retries the event. */
export class FactWriteConflictError extends Error {
  override readonly name = 'FactWriteConflictError';
}

/** How many facts the process remembers (a few MB at most): enough for the things still moving. */
const REMEMBERED_FACTS = 20_000;

const HIDDEN = Object.fromEntries(BOOKKEEPING_PATHS.map((path) => [path, 0]));

/** Keeps only defined values: an optional field is absent until set, never stored as null. */
function defined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

function strip<F>(stored: Stored<F>): F {
  const { _id: _id, appliedEventIds: _applied, revision: _revision, ...fact } = stored;
  return fact as unknown as F;
}

@Injectable()
export class FactsRepository {
  private readonly logger = new Logger(FactsRepository.name);
  private readonly versioned: { [K in VersionedKind]: Model<Stored<VersionedFacts[K]>> };
  /** Facts as this process last wrote or read them, by `kind/id`, most recently used last. */
  private readonly known = new Map<string, Stored<unknown>>();

  constructor(
    @InjectModel(TICKET_FACT_MODEL) tickets: Model<Stored<TicketFact>>,
    @InjectModel(JOB_FACT_MODEL) jobs: Model<Stored<JobFact>>,
    @InjectModel(ELDER_FACT_MODEL) elders: Model<Stored<ElderFact>>,
    @InjectModel(VISIT_FACT_MODEL) visits: Model<Stored<VisitFact>>,
    @InjectModel(CASE_FACT_MODEL) cases: Model<Stored<CaseFact>>,
    @InjectModel(FEEDBACK_FACT_MODEL) private readonly feedback: Model<FeedbackFact & { _id: string }>,
    @InjectModel(ALERT_FACT_MODEL) private readonly alerts: Model<AlertFact & { _id: string }>,
    @InjectModel(ALERT_RECIPIENT_FACT_MODEL)
    private readonly recipients: Model<AlertRecipientFact & { _id: string }>,
  ) {
    this.versioned = { tickets, jobs, elders, visits, cases };
  }

  /**
   * Applies an event of version `version` to the fact `id` through `change` (a projection rule), unless the fact
   * has seen it or something newer. Returns whether the fact changed.
   *
   * A fact this process wrote (or read) is remembered, so the next event of the same thing costs one round trip
   * (the conditional write) instead of two. The memory can be stale (another instance took the partition over):
   * the write's revision condition then fails, and the event is applied again to the fact as stored. A stale
   * memory never skips an event wrongly: the stored fact only moves forward, so what is old news to the memory is
   * to the store too.
   */
  async applyVersioned<K extends VersionedKind>(
    kind: K,
    id: string,
    event: CloudEvent,
    version: number,
    change: (fact: VersionedFacts[K] | undefined) => VersionedFacts[K] | undefined,
  ): Promise<boolean> {
    const remembered = this.known.get(`${kind}/${id}`) as Stored<VersionedFacts[K]> | undefined;
    if (remembered) {
      const outcome = await this.applyTo(kind, id, event, version, change, remembered);
      if (outcome !== 'stale') return outcome;
      this.logger.debug({ msg: 'remembered fact was stale, reloading', kind, id, eventId: event.id });
    }
    const outcome = await this.applyTo(kind, id, event, version, change, await this.load(kind, id));
    if (outcome === 'stale') {
      throw new FactWriteConflictError(
        `fact ${kind}/${id} changed while ${event.type} ${event.id} was applied`,
      );
    }
    return outcome;
  }

  /** The fact as stored (remembered from now on), or null. */
  private async load<K extends VersionedKind>(
    kind: K,
    id: string,
  ): Promise<Stored<VersionedFacts[K]> | null> {
    const model = this.versioned[kind] as unknown as Model<Stored<VersionedFacts[K]>>;
    const stored = (await model.findById(id).lean().exec()) as Stored<VersionedFacts[K]> | null;
    if (stored) this.remember(`${kind}/${id}`, stored);
    else this.known.delete(`${kind}/${id}`);
    return stored;
  }

  /** One try of applyVersioned against `stored` (null: not stored); 'stale' when the store had moved on. */
  private async applyTo<K extends VersionedKind>(
    kind: K,
    id: string,
    event: CloudEvent,
    version: number,
    change: (fact: VersionedFacts[K] | undefined) => VersionedFacts[K] | undefined,
    stored: Stored<VersionedFacts[K]> | null,
  ): Promise<boolean | 'stale'> {
    const model = this.versioned[kind] as unknown as Model<Stored<VersionedFacts[K]>>;
    const key = `${kind}/${id}`;
    const applied = stored ? { version: stored.version, eventIds: stored.appliedEventIds } : undefined;
    if (!isNews(applied, version, event.id)) return false;
    const next = change(stored ? strip(stored) : undefined);
    if (!next) {
      this.logger.debug({ msg: 'event changes no fact', kind, id, type: event.type, eventId: event.id });
      return false;
    }
    const appliedEventIds = appliedAfter(applied, version, event.id);
    const record = defined({ ...next, version, appliedEventIds });
    if (!stored) {
      // A concurrent insert of the same id fails on _id: the runner retries and the next try reads it.
      try {
        await model.create({ ...record, _id: id, revision: 0 });
      } catch (error) {
        this.known.delete(key);
        throw error;
      }
      this.remember(key, { ...record, _id: id, revision: 0 } as Stored<VersionedFacts[K]>);
      return true;
    }
    const replacement = { ...record, _id: id, revision: stored.revision + 1 };
    const written = await model.replaceOne({ _id: id, revision: stored.revision }, replacement).exec();
    if (written.matchedCount === 0) {
      this.known.delete(key);
      return 'stale';
    }
    this.remember(key, replacement as Stored<VersionedFacts[K]>);
    return true;
  }

  /** Remembers a fact as stored, forgetting the longest-unused one beyond the bound. */
  private remember(key: string, stored: Stored<unknown>): void {
    this.known.delete(key);
    this.known.set(key, stored);
    if (this.known.size > REMEMBERED_FACTS) {
      const oldest = this.known.keys().next().value;
      if (oldest !== undefined) this.known.delete(oldest);
    }
  }

  /** A fact that one event makes, stored under that event's (or its thing's) id once: a repeat changes nothing. */
  async insertOnce(kind: 'feedback', id: string, fact: FeedbackFact): Promise<void>;
  async insertOnce(kind: 'alerts', id: string, fact: AlertFact): Promise<void>;
  async insertOnce(kind: 'feedback' | 'alerts', id: string, fact: FeedbackFact | AlertFact): Promise<void> {
    const model = (kind === 'feedback' ? this.feedback : this.alerts) as unknown as Model<{ _id: string }>;
    await model.updateOne({ _id: id }, { $setOnInsert: defined(fact) }, { upsert: true }).exec();
  }

  /**
   * A recipient's fact, from either stream: created by whichever comes first; each time keeps its earliest value
   * ($min), so the two streams may arrive in any order, and any number of times, to the same fact.
   */
  async recordRecipient(fields: {
    alertId: string;
    recipientId: string;
    jurisdiction: string;
    deliveredAt?: Date;
    acknowledgedAt?: Date;
    alertIssuedAt?: Date;
    response?: string;
  }): Promise<void> {
    const { alertId, recipientId, jurisdiction, deliveredAt, acknowledgedAt, alertIssuedAt, response } =
      fields;
    await this.recipients
      .updateOne(
        { _id: alertRecipientKey(alertId, recipientId) },
        {
          $setOnInsert: { alertId, recipientId, jurisdiction },
          ...(deliveredAt || acknowledgedAt
            ? { $min: defined({ deliveredAt, acknowledgedAt, alertIssuedAt }) }
            : {}),
          ...(response ? { $set: { response } } : {}),
        },
        { upsert: true },
      )
      .exec();
  }

  /**
   * The facts of the node's subtree (jurisdiction prefix), without the bookkeeping, that a read over `range` needs
   * (indicators/fact-ranges.ts says which, collection by collection; each condition here is the same predicate on
   * the stored fact, served by the jurisdiction + time indexes of fact.models.ts). Without a range: every fact.
   */
  async factsUnder(node: string, range?: FactRange): Promise<FactSet> {
    const under = { jurisdiction: { $regex: `^${node.replace(/\D/g, '')}` } };
    const load = <T>(model: Model<{ jurisdiction: string }>, filter?: (r: FactRange) => object[]) =>
      model
        .find(range && filter ? { $or: filter(range).map((time) => ({ ...under, ...time })) } : under, HIDDEN)
        .lean()
        .exec() as unknown as Promise<T[]>;
    const model = (m: unknown) => m as Model<{ jurisdiction: string }>;
    const between = (r: FactRange) => ({ $gte: r.start, $lt: r.end });
    // Alerts are all the node's (one per incident, and a recipient takes its time from its alert when known);
    // their recipients follow once the alerts issued in the range are known.
    const alertsLoaded = load<AlertFact>(model(this.alerts));
    const recipientsLoaded = alertsLoaded.then((alerts) => {
      const issued = range ? [...alertsIssuedIn(alerts, range)] : [];
      return load<AlertRecipientFact>(model(this.recipients), (r) => [
        { alertId: { $in: issued } },
        { alertIssuedAt: between(r) },
        { deliveredAt: between(r) },
      ]);
    });
    const [tickets, feedback, jobs, elders, visits, cases, alerts, alertRecipients] = await Promise.all([
      load<TicketFact>(model(this.versioned.tickets), (r) => [
        { firstResolvedAt: between(r) },
        { resolveDueAt: between(r) },
      ]),
      load<FeedbackFact>(model(this.feedback), (r) => [{ recordedAt: between(r) }]),
      load<JobFact>(model(this.versioned.jobs), (r) => [
        { acceptedAt: between(r) },
        { completedAt: between(r) },
      ]),
      load<ElderFact>(model(this.versioned.elders), (r) => [
        // A span that began before the end and had not ended by the start (an open span has no `to`).
        {
          activeSpans: {
            $elemMatch: { from: { $lt: r.end }, $or: [{ to: null }, { to: { $gt: r.start } }] },
          },
        },
      ]),
      load<VisitFact>(model(this.versioned.visits), (r) => [{ completedAt: between(r) }]),
      load<CaseFact>(model(this.versioned.cases), (r) => [
        { outcomeAt: between(r) },
        { timeLimitAt: between(r) },
      ]),
      alertsLoaded,
      recipientsLoaded,
    ]);
    return { tickets, feedback, jobs, elders, visits, cases, alerts, alertRecipients };
  }
}
