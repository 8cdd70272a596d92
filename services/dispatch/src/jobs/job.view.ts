// The job as a user sees it: ids and codes only (the resident's contact is served by the requesting service to
// the provider holding the job); every offer for supervisors, only its own open offer for a provider.
import type { Actor } from '@linli/auth';
import { administrativeTree } from '@linli/divisions';
import type { JobView } from './dto/job.dto';
import { offerTo, type JobState } from './job.rules';

const SUPERVISING_ROLES = ['admin', 'supervisor', 'coordinator'] as const;
/** Users who act for a provider in dispatch (a mediator is a provider of mediation). */
const PROVIDER_ROLES = ['provider', 'mediator'] as const;

export function toJobView(job: JobState, actor: Actor): JobView {
  const view: JobView = {
    jobId: job.jobId,
    status: job.status,
    origin: { service: job.origin.service, aggregateId: job.origin.aggregateId },
    category: job.category,
    skill: job.skill,
    priority: job.priority,
    jurisdiction: job.jurisdiction,
    round: job.round,
    escalated: job.escalated,
    timeline: job.timeline.map((entry) => ({
      at: iso(entry.at),
      type: entry.type,
      status: entry.status,
      ...(entry.actorId ? { actorId: entry.actorId } : {}),
      ...(entry.providerId ? { providerId: entry.providerId } : {}),
      ...(entry.note ? { note: entry.note } : {}),
    })),
    createdAt: iso(job.createdAt),
    updatedAt: iso(job.updatedAt),
  };
  const place = administrativeTree().get(job.jurisdiction);
  if (place) view.communityName = place.name;
  if (job.dueBy) view.dueBy = iso(job.dueBy);
  if (job.providerId) view.providerId = job.providerId;
  if (job.providerKind) view.providerKind = job.providerKind;
  if (job.startedAt) view.startedAt = iso(job.startedAt);
  if (job.completedAt) view.completedAt = iso(job.completedAt);
  if (job.outcome) view.outcome = job.outcome;
  if (job.notes !== undefined) view.notes = job.notes;
  if (job.workDone !== undefined) view.workDone = job.workDone;
  if (actor.has(...SUPERVISING_ROLES)) {
    // Who the requester ruled out is for those who run the board, not for the providers.
    if (job.excludedProviderIds?.length) view.excludedProviderIds = [...job.excludedProviderIds];
    view.offers = job.offers.map((offer) => ({
      offerId: offer.offerId,
      providerId: offer.providerId,
      status: offer.status,
      round: offer.round,
      expiresAt: iso(offer.expiresAt),
    }));
  }
  if (actor.has(...PROVIDER_ROLES) && actor.providerId) {
    const mine = offerTo(job, actor.providerId);
    if (mine?.status === 'open') {
      view.offer = { offerId: mine.offerId, expiresAt: iso(mine.expiresAt), round: mine.round };
    }
  }
  return view;
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}
