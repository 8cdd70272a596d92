// The elder's events as outbox entries: the full profile (no personal data) in the shape of the contracts.
import { createEvent, elderRegistered, elderUpdated } from '@linli/contracts';
import { outboxEntry, type OutboxEntry } from '@linli/persistence';
import { currentCorrelationId } from '@linli/platform';
import type { ElderDocument } from './elder.schema';

export const EVENT_SOURCE = '/linli/elder-care';

type ProfileSource = Pick<
  ElderDocument,
  '_id' | 'community' | 'status' | 'livingSituation' | 'careLevel' | 'hardship' | 'consent' | 'inactiveReason'
>;

function profile(elder: ProfileSource, version: number) {
  return {
    elderId: elder._id,
    version,
    jurisdiction: elder.community,
    status: elder.status,
    livingSituation: elder.livingSituation,
    careLevel: elder.careLevel,
    hardship: [...elder.hardship],
    consentToServices: elder.consent.services,
  };
}

function actorField(actorId: string | undefined) {
  return actorId && actorId !== 'system' ? { actorId } : {};
}

/** elder.registered of a new elder (version 0). */
export function registeredEvent(
  elder: ProfileSource & Pick<ElderDocument, 'source'>,
  actorId?: string,
): OutboxEntry {
  return outboxEntry(
    elderRegistered,
    createEvent({
      source: EVENT_SOURCE,
      type: elderRegistered.type,
      subject: elder._id,
      jurisdiction: elder.community,
      data: { ...profile(elder, 0), source: elder.source, ...actorField(actorId) },
      correlationid: currentCorrelationId(),
    }),
  );
}

/** elder.updated: the full profile after the change, at the version the change is stored with. */
export function updatedEvent(elder: ProfileSource, version: number, actorId?: string): OutboxEntry {
  return outboxEntry(
    elderUpdated,
    createEvent({
      source: EVENT_SOURCE,
      type: elderUpdated.type,
      subject: elder._id,
      jurisdiction: elder.community,
      data: {
        ...profile(elder, version),
        ...(elder.inactiveReason ? { inactiveReason: elder.inactiveReason } : {}),
        ...actorField(actorId),
      },
      correlationid: currentCorrelationId(),
    }),
  );
}
