// The events insights counts, each folded into its fact (projection.rules.ts) and stored idempotently
// (facts.repository.ts). A handler throws to have its event retried, then dead-lettered (ADR 11); it never
// catches and logs.
import {
  alertAcknowledged,
  alertIssued,
  broadcastRecipientsResolved,
  caseClosed,
  caseOpened,
  caseReopened,
  caseTimeLimitExtended,
  caseUpdated,
  elderRegistered,
  elderUpdated,
  feedbackRecorded,
  jobAccepted,
  jobCancelled,
  jobCompleted,
  jobOffered,
  jobRequested,
  jobStarted,
  outcomeRecorded,
  ticketAssigned,
  ticketCancelled,
  ticketClosed,
  ticketCreated,
  ticketResolved,
  ticketRouted,
  ticketTriaged,
  visitCancelled,
  visitCompleted,
  visitMissed,
  visitScheduled,
  type CloudEvent,
  type EventData,
} from '@linli/contracts';
import { OnEvent } from '@linli/messaging';
import { Injectable } from '@nestjs/common';
import type { TicketFact } from '../indicators/facts';
import { FactsRepository } from './facts.repository';
import * as rules from './projection.rules';

type Event<D> = CloudEvent<EventData<D>>;

@Injectable()
export class TicketFactsConsumer {
  constructor(private readonly facts: FactsRepository) {}

  @OnEvent(ticketCreated)
  async created(event: Event<typeof ticketCreated>): Promise<void> {
    await this.ticket(event, (fact) => rules.onTicketCreated(fact, event));
  }

  @OnEvent(ticketTriaged)
  async triaged(event: Event<typeof ticketTriaged>): Promise<void> {
    await this.ticket(event, (fact) => rules.onTicketTriaged(fact, event));
  }

  @OnEvent(ticketRouted)
  async routed(event: Event<typeof ticketRouted>): Promise<void> {
    await this.ticket(event, (fact) => rules.onTicketRouted(fact, event));
  }

  @OnEvent(ticketAssigned)
  async assigned(event: Event<typeof ticketAssigned>): Promise<void> {
    await this.ticket(event, (fact) => rules.onTicketAssigned(fact, event));
  }

  @OnEvent(ticketResolved)
  async resolved(event: Event<typeof ticketResolved>): Promise<void> {
    await this.ticket(event, (fact) => rules.onTicketResolved(fact, event));
  }

  @OnEvent(ticketCancelled)
  async cancelled(event: Event<typeof ticketCancelled>): Promise<void> {
    await this.ticket(event, (fact) => rules.onTicketCancelled(fact, event));
  }

  @OnEvent(ticketClosed)
  async closed(event: Event<typeof ticketClosed>): Promise<void> {
    await this.ticket(event, (fact) => rules.onTicketClosed(fact, event));
  }

  @OnEvent(feedbackRecorded)
  async feedback(event: Event<typeof feedbackRecorded>): Promise<void> {
    await this.facts.insertOnce('feedback', event.id, rules.feedbackOf(event));
  }

  private ticket(
    event: CloudEvent<{ ticketId: string; version: number }>,
    change: (fact: TicketFact | undefined) => TicketFact | undefined,
  ): Promise<boolean> {
    return this.facts.applyVersioned('tickets', event.data.ticketId, event, event.data.version, change);
  }
}

@Injectable()
export class JobFactsConsumer {
  constructor(private readonly facts: FactsRepository) {}

  @OnEvent(jobRequested)
  async requested(event: Event<typeof jobRequested>): Promise<void> {
    await this.facts.applyVersioned('jobs', event.data.jobId, event, rules.JOB_REQUESTED_VERSION, (fact) =>
      rules.onJobRequested(fact, event),
    );
  }

  @OnEvent(jobOffered)
  async offered(event: Event<typeof jobOffered>): Promise<void> {
    await this.job(event, (fact) => rules.onJobOffered(fact, event));
  }

  @OnEvent(jobAccepted)
  async accepted(event: Event<typeof jobAccepted>): Promise<void> {
    await this.job(event, (fact) => rules.onJobAccepted(fact, event));
  }

  @OnEvent(jobStarted)
  async started(event: Event<typeof jobStarted>): Promise<void> {
    await this.job(event, (fact) => rules.onJobStarted(fact, event));
  }

  @OnEvent(jobCompleted)
  async completed(event: Event<typeof jobCompleted>): Promise<void> {
    await this.job(event, (fact) => rules.onJobCompleted(fact, event));
  }

  @OnEvent(jobCancelled)
  async cancelled(event: Event<typeof jobCancelled>): Promise<void> {
    await this.job(event, (fact) => rules.onJobCancelled(fact, event));
  }

  private job(
    event: CloudEvent<{ jobId: string; version: number }>,
    change: (fact: Parameters<typeof rules.onJobOffered>[0]) => ReturnType<typeof rules.onJobOffered>,
  ): Promise<boolean> {
    return this.facts.applyVersioned('jobs', event.data.jobId, event, event.data.version, change);
  }
}

@Injectable()
export class ElderFactsConsumer {
  constructor(private readonly facts: FactsRepository) {}

  @OnEvent(elderRegistered)
  async registered(event: Event<typeof elderRegistered>): Promise<void> {
    await this.facts.applyVersioned('elders', event.data.elderId, event, event.data.version, (fact) =>
      rules.onElderProfile(fact, event),
    );
  }

  @OnEvent(elderUpdated)
  async updated(event: Event<typeof elderUpdated>): Promise<void> {
    await this.facts.applyVersioned('elders', event.data.elderId, event, event.data.version, (fact) =>
      rules.onElderProfile(fact, event),
    );
  }

  @OnEvent(visitScheduled)
  async visitScheduled(event: Event<typeof visitScheduled>): Promise<void> {
    await this.facts.applyVersioned('visits', event.data.visitId, event, event.data.version, (fact) =>
      rules.onVisitScheduled(fact, event),
    );
  }

  @OnEvent(visitCompleted)
  async visitCompleted(event: Event<typeof visitCompleted>): Promise<void> {
    await this.facts.applyVersioned('visits', event.data.visitId, event, event.data.version, (fact) =>
      rules.onVisitCompleted(fact, event),
    );
  }

  @OnEvent(visitMissed)
  async visitMissed(event: Event<typeof visitMissed>): Promise<void> {
    await this.facts.applyVersioned('visits', event.data.visitId, event, event.data.version, (fact) =>
      rules.onVisitMissed(fact, event),
    );
  }

  @OnEvent(visitCancelled)
  async visitCancelled(event: Event<typeof visitCancelled>): Promise<void> {
    await this.facts.applyVersioned('visits', event.data.visitId, event, event.data.version, (fact) =>
      rules.onVisitCancelled(fact, event),
    );
  }
}

@Injectable()
export class CaseFactsConsumer {
  constructor(private readonly facts: FactsRepository) {}

  @OnEvent(caseOpened)
  async opened(event: Event<typeof caseOpened>): Promise<void> {
    await this.case(event, (fact) => rules.onCaseOpened(fact, event));
  }

  @OnEvent(caseUpdated)
  async updated(event: Event<typeof caseUpdated>): Promise<void> {
    await this.case(event, (fact) => rules.onCaseUpdated(fact, event));
  }

  @OnEvent(caseTimeLimitExtended)
  async extended(event: Event<typeof caseTimeLimitExtended>): Promise<void> {
    await this.case(event, (fact) => rules.onCaseTimeLimitExtended(fact, event));
  }

  @OnEvent(outcomeRecorded)
  async outcome(event: Event<typeof outcomeRecorded>): Promise<void> {
    await this.case(event, (fact) => rules.onOutcomeRecorded(fact, event));
  }

  @OnEvent(caseReopened)
  async reopened(event: Event<typeof caseReopened>): Promise<void> {
    await this.case(event, (fact) => rules.onCaseReopened(fact, event));
  }

  @OnEvent(caseClosed)
  async closed(event: Event<typeof caseClosed>): Promise<void> {
    await this.case(event, (fact) => rules.onCaseClosed(fact, event));
  }

  private case(
    event: CloudEvent<{ caseId: string; version: number }>,
    change: (fact: Parameters<typeof rules.onCaseClosed>[0]) => ReturnType<typeof rules.onCaseClosed>,
  ): Promise<boolean> {
    return this.facts.applyVersioned('cases', event.data.caseId, event, event.data.version, change);
  }
}

@Injectable()
export class AlertFactsConsumer {
  constructor(private readonly facts: FactsRepository) {}

  @OnEvent(alertIssued)
  async issued(event: Event<typeof alertIssued>): Promise<void> {
    const alert = rules.alertOf(event);
    if (alert) await this.facts.insertOnce('alerts', alert.alertId, alert);
  }

  @OnEvent(alertAcknowledged)
  async acknowledged(event: Event<typeof alertAcknowledged>): Promise<void> {
    await this.facts.recordRecipient(rules.acknowledgementOf(event));
  }

  /** notifications' batches of who an alert's message reached: each recipient's first delivery. */
  @OnEvent(broadcastRecipientsResolved)
  async reached(event: Event<typeof broadcastRecipientsResolved>): Promise<void> {
    const deliveredAt = rules.timeOf(event);
    for (const recipient of event.data.recipients) {
      await this.facts.recordRecipient({
        alertId: event.data.origin.aggregateId,
        recipientId: recipient.recipientId,
        jurisdiction: event.data.jurisdiction,
        deliveredAt,
      });
    }
  }
}
