// What recipients/ knows of an alert, from the messages it saw on the alert stream (never the alerts module's
// collection): where it is, for scoping, and the references its events carry.
import { createEvent, type EventData, type EventDefinition } from '@linli/contracts';
import { outboxEntry, type OutboxEntry } from '@linli/persistence';
import { currentCorrelationId } from '@linli/platform';
import type { AlertMessageDocument } from './recipient.schemas';

export const SOURCE = 'linli/emergency';

export interface AlertFacts {
  alertId: string;
  incidentId: string;
  jurisdiction: string;
  /** Every area any of its messages named. */
  areas: string[];
  /** When its first message was issued. */
  issuedAt: Date;
  /** Its version with the newest message seen. */
  version: number;
}

/** A message record written from alert.issued (not only the count notifications reported for it). */
export function isIssued(message: AlertMessageDocument): boolean {
  return message.messageType !== undefined && message.incidentId !== undefined;
}

/** The alert as its issued messages describe it; undefined when none was seen (an unknown alert). */
export function alertFactsOf(messages: readonly AlertMessageDocument[]): AlertFacts | undefined {
  const issued = messages.filter(isIssued).sort((a, b) => a.sequence - b.sequence);
  const newest = issued[issued.length - 1];
  if (!newest) return undefined;
  return {
    alertId: newest.alertId,
    incidentId: newest.incidentId,
    jurisdiction: newest.jurisdiction,
    areas: [...new Set(issued.flatMap((message) => message.areas ?? []))],
    issuedAt: new Date(issued[0]!.issuedAt),
    version: newest.version,
  };
}

/** An event on the alert stream: subject and key the alert id, jurisdiction the alert's. */
export function alertStreamEvent<D extends EventDefinition>(
  definition: D,
  alert: Pick<AlertFacts, 'alertId' | 'jurisdiction'>,
  data: EventData<D>,
): OutboxEntry {
  const correlationid = currentCorrelationId();
  return outboxEntry(
    definition,
    createEvent({
      source: SOURCE,
      type: definition.type,
      subject: alert.alertId,
      jurisdiction: alert.jurisdiction,
      data,
      ...(correlationid ? { correlationid } : {}),
    }),
  );
}
