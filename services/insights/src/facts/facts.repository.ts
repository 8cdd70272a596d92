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
   */
  async applyVersioned<K extends VersionedKind>(
    kind: K,
    id: string,
    event: CloudEvent,
    version: number,
    change: (fact: VersionedFacts[K] | undefined) => VersionedFacts[K] | undefined,
  ): Promise<boolean> {
    const model = this.versioned[kind] as unknown as Model<Stored<VersionedFacts[K]>>;
    const stored = (await model.findById(id).lean().exec()) as Stored<VersionedFacts[K]> | null;
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
      await model.create({ ...record, _id: id, revision: 0 });
      return true;
    }
    const written = await model
      .replaceOne(
        { _id: id, revision: stored.revision },
        { ...record, _id: id, revision: stored.revision + 1 },
      )
      .exec();
    if (written.matchedCount === 0) {
      throw new FactWriteConflictError(
        `fact ${kind}/${id} changed while ${event.type} ${event.id} was applied`,
      );
    }
    return true;
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
