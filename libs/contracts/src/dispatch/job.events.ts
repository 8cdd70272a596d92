// The job stream of dispatch: work requested by a domain service, offered to providers, done by one of them.
// Payloads carry ids and codes only; no personal data (names, phones, id numbers, addresses) ever travels here:
// a provider holding a job gets the resident's contact from the requesting service's API, audited.
import { Type } from '@sinclair/typebox';
import { defineEvent, defineTopic } from '../registry';
import {
  ActorId,
  AggregateVersion,
  Category,
  DateTime,
  DOMAIN_SERVICES,
  Id,
  Jurisdiction,
  PROVIDER_KINDS,
  ProviderKind,
  Skill,
  StrictObject,
  StringEnum,
} from '../fields';

export const jobTopic = defineTopic(
  'dispatch',
  'job',
  1,
  'Jobs for providers from request to completion, keyed by job id',
);

export const JOB_PRIORITIES = ['immediate', 'urgent', 'routine'] as const;
export const JOB_DECLINE_REASONS = ['busy', 'out-of-area', 'lacks-skill', 'other'] as const;
export const JOB_OUTCOMES = ['done', 'partly-done', 'not-needed'] as const;
export const JOB_ESCALATION_REASONS = ['no-provider', 'deadline-missed', 'manual'] as const;
export const JOB_CANCEL_REASONS = ['origin-cancelled', 'origin-resolved', 'manual'] as const;

const jobRef = {
  jobId: Id('Job id (the Kafka key)'),
  version: AggregateVersion(),
  jurisdiction: Jurisdiction(
    'Code of the place where the work is done; matched against providers’ service areas',
  ),
};
const provider = { providerId: Id('Provider id in dispatch'), providerKind: ProviderKind() };

/**
 * Produced by the domain services (not dispatch) onto dispatch's job topic, with a job id they choose, so a
 * repeated request is the same job. It carries no version: the job does not exist in dispatch yet.
 */
export const jobRequested = {
  ...defineEvent(
    jobTopic,
    'job.requested',
    StrictObject({
      jobId: jobRef.jobId,
      jurisdiction: jobRef.jurisdiction,
      origin: StrictObject(
        {
          service: StringEnum(DOMAIN_SERVICES),
          aggregateId: Id('The ticket, visit, case or incident the work is for'),
        },
        { description: 'What the work is for; dispatch reports back on this job id' },
      ),
      category: Category(),
      skill: Skill(),
      priority: StringEnum(JOB_PRIORITIES),
      dueBy: Type.Optional(DateTime('When the work must be done')),
      preferredProviderKinds: Type.Optional(
        Type.Array(ProviderKind(), { minItems: 1, maxItems: PROVIDER_KINDS.length, uniqueItems: true }),
      ),
      excludedProviderIds: Type.Optional(
        Type.Array(Id(), {
          maxItems: 200,
          uniqueItems: true,
          description:
            'Providers never to be offered this job, whoever else is available (a mediator with a conflict of ' +
            'interest with a party); with no one else, the job escalates as having no provider',
        }),
      ),
    }),
    'A domain service needs work done by a provider; dispatch decides who.',
  ),
  producers: DOMAIN_SERVICES,
};

export const jobOffered = defineEvent(
  jobTopic,
  'job.offered',
  StrictObject({
    ...jobRef,
    offerId: Id(),
    ...provider,
    round: Type.Integer({
      minimum: 1,
      description:
        'The round of offers: 1 for the providers first offered the job (at once), then one more per round',
    }),
    expiresAt: DateTime('When the offer lapses if not answered'),
  }),
  'The job was offered to one provider, until a deadline.',
);

export const jobAccepted = defineEvent(
  jobTopic,
  'job.accepted',
  StrictObject({ ...jobRef, offerId: Id(), ...provider, actorId: ActorId() }),
  'A provider took the job; it is theirs alone.',
);

export const jobDeclined = defineEvent(
  jobTopic,
  'job.declined',
  StrictObject({
    ...jobRef,
    offerId: Id(),
    ...provider,
    reason: StringEnum(JOB_DECLINE_REASONS),
    actorId: ActorId(),
  }),
  'A provider turned the offer down; dispatch offers the job to the next one.',
);

export const jobStarted = defineEvent(
  jobTopic,
  'job.started',
  StrictObject({ ...jobRef, ...provider, actorId: ActorId() }),
  'The provider is on site (checked in).',
);

export const jobCompleted = defineEvent(
  jobTopic,
  'job.completed',
  StrictObject({ ...jobRef, ...provider, outcome: StringEnum(JOB_OUTCOMES), actorId: ActorId() }),
  'The provider finished the job and recorded the outcome.',
);

export const jobExpired = defineEvent(
  jobTopic,
  'job.expired',
  StrictObject({ ...jobRef, offerId: Id(), ...provider }),
  'An offer lapsed unanswered; dispatch offers the job to the next provider.',
);

export const jobEscalated = defineEvent(
  jobTopic,
  'job.escalated',
  StrictObject({
    ...jobRef,
    reason: StringEnum(JOB_ESCALATION_REASONS),
    level: Type.Integer({ minimum: 1 }),
    actorId: Type.Optional(ActorId()),
  }),
  'Nobody took the job in time (or a coordinator escalated it); a coordinator must act.',
);

/**
 * Produced by the domain services onto dispatch's job topic when the work they asked for is no longer needed (the
 * ticket was cancelled, the visit dropped from the plan). Dispatch withdraws open offers and cancels the job.
 */
export const jobCancellationRequested = {
  ...defineEvent(
    jobTopic,
    'job.cancellation-requested',
    StrictObject({
      jobId: jobRef.jobId,
      jurisdiction: jobRef.jurisdiction,
      origin: StrictObject({ service: StringEnum(DOMAIN_SERVICES), aggregateId: Id() }),
      reason: StringEnum(JOB_CANCEL_REASONS),
    }),
    'The requesting service no longer needs the work.',
  ),
  producers: DOMAIN_SERVICES,
};

/**
 * Produced by a domain service onto dispatch's job topic when the work happens through that service's own API (a
 * caregiver checks in and out of a visit in elder-care): dispatch moves the job as if the provider had reported it
 * there, so the job board, the provider's load and the indicators agree with the visit.
 */
export const jobProgressReported = {
  ...defineEvent(
    jobTopic,
    'job.progress-reported',
    StrictObject({
      jobId: jobRef.jobId,
      jurisdiction: jobRef.jurisdiction,
      origin: StrictObject({ service: StringEnum(DOMAIN_SERVICES), aggregateId: Id() }),
      providerId: Id('The provider holding the job, as the domain service knows it'),
      step: StringEnum(['started', 'completed'] as const),
      outcome: Type.Optional(StringEnum(JOB_OUTCOMES, { description: 'Required when step is completed' })),
      at: DateTime('When it happened'),
    }),
    'The work of a job started or was completed, reported by the service it was done through.',
  ),
  producers: DOMAIN_SERVICES,
};

export const jobCancelled = defineEvent(
  jobTopic,
  'job.cancelled',
  StrictObject({
    ...jobRef,
    reason: StringEnum(JOB_CANCEL_REASONS),
    providerId: Type.Optional(Id('The provider who held it, if anyone did')),
    actorId: Type.Optional(ActorId()),
  }),
  'The job was cancelled; its open offers are withdrawn and whoever held it is released.',
);

export const jobEvents = [
  jobRequested,
  jobOffered,
  jobAccepted,
  jobDeclined,
  jobStarted,
  jobCompleted,
  jobExpired,
  jobEscalated,
  jobCancellationRequested,
  jobProgressReported,
  jobCancelled,
] as const;
