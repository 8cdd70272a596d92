// The one way a use case changes a case: load, decide, write conditionally (retried against the fresh state when
// an unrelated change won the race), then run the timers the change needs. Sessions, outcomes and follow-ups use
// it as the cases' own use cases do, so every write of the aggregate has the same guarantees.
import type { Actor } from '@linli/auth';
import { createEvent, type EventData, type EventDefinition } from '@linli/contracts';
import { ConcurrencyConflictError, outboxEntry, type OutboxEntry } from '@linli/persistence';
import { currentCorrelationId, NotFoundError } from '@linli/platform';
import { Injectable } from '@nestjs/common';
import { config } from '../config';
import type { CaseState } from './case.rules';
import { CasesRepository } from './cases.repository';

export const SOURCE = 'linli/mediation';

/** What a decision produces: the next state, its events, and the timers to set once it is stored. */
export interface CaseDraft {
  state: CaseState;
  events: OutboxEntry[];
  timers: Array<() => Promise<unknown>>;
}

@Injectable()
export class CaseWriter {
  constructor(private readonly cases: CasesRepository) {}

  /** A draft of a change to `current`: the next state starts as a copy, version one up (what the write makes it). */
  draft(current: CaseState): CaseDraft {
    return { state: structuredClone(current), events: [], timers: [] };
  }

  /**
   * Loads the case (scoped to `actor`, or any case for `undefined`: consumers and timers), lets `decide` build
   * the change (undefined: nothing to do), writes it on the version it was decided on, then sets its timers.
   * 404 when the case is not there (or not the actor's), unless `missing: 'ignore'`.
   */
  async change(
    caseId: string,
    actor: Actor | undefined,
    decide: (current: CaseState, now: Date) => CaseDraft | undefined | Promise<CaseDraft | undefined>,
    options: { missing: 'throw' | 'ignore' } = { missing: 'throw' },
  ): Promise<CaseState | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = actor ? await this.cases.findById(caseId, actor) : await this.cases.get(caseId);
      if (!current) {
        if (options.missing === 'ignore') return undefined;
        throw new NotFoundError('case', caseId);
      }
      const now = new Date();
      const draft = await decide(current, now);
      if (!draft) return current;
      let saved: CaseState;
      try {
        saved = await this.cases.save(current, draft.state, draft.events, now);
      } catch (error) {
        if (error instanceof ConcurrencyConflictError && attempt < config.WRITE_ATTEMPTS) continue;
        throw error;
      }
      for (const timer of draft.timers) await timer();
      return saved;
    }
  }

  /** An event of the case for the outbox: subject and key the case id, jurisdiction its community. */
  event<D extends EventDefinition>(definition: D, state: CaseState, data: EventData<D>): OutboxEntry {
    return outboxEntry(
      definition,
      createEvent({
        source: SOURCE,
        type: definition.type,
        subject: state.caseId,
        jurisdiction: state.communityCode,
        data,
        ...(currentCorrelationId() ? { correlationid: currentCorrelationId() } : {}),
      }),
    );
  }

  /**
   * An event of the case's dispatch job on dispatch's job topic (job.requested, job.cancellation-requested): subject
   * and key the job id, so dispatch reads one job's events in order; jurisdiction the case's community.
   */
  jobEvent<D extends EventDefinition>(
    definition: D,
    jobId: string,
    state: CaseState,
    data: EventData<D>,
  ): OutboxEntry {
    return outboxEntry(
      definition,
      createEvent({
        source: SOURCE,
        type: definition.type,
        subject: jobId,
        jurisdiction: state.communityCode,
        data,
        ...(currentCorrelationId() ? { correlationid: currentCorrelationId() } : {}),
      }),
    );
  }

  /** The reference every case event starts with, at the version the draft's write will give the case. */
  ref(current: CaseState): { caseId: string; version: number; jurisdiction: string } {
    return { caseId: current.caseId, version: current.version + 1, jurisdiction: current.communityCode };
  }
}
