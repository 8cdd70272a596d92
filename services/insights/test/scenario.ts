// A realistic month of work in one street of Gulou (March 2026, Asia/Shanghai) as the services' events tell it,
// with the indicator values it gives worked out by hand. Every deadline lies in the past, so the numbers do not
// depend on when the test runs.
import {
  alertAcknowledged,
  alertIssued,
  broadcastRecipientsResolved,
  caseOpened,
  elderRegistered,
  feedbackRecorded,
  jobAccepted,
  jobCompleted,
  jobOffered,
  jobRequested,
  jobStarted,
  outcomeRecorded,
  ticketCreated,
  ticketResolved,
  ticketRouted,
  ticketTriaged,
  visitCompleted,
  visitScheduled,
  type CloudEvent,
} from '@linli/contracts';
import { randomBytes } from 'node:crypto';
import { COMMUNITY_1, COMMUNITY_2, eventOf, STREET, XUANWU_COMMUNITY } from './support';

/** A local date inside the month (the API's `date`). */
export const MARCH = '2026-03-15';

const id = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

function ticket(community: string, createdAt: string, dueAt: string, resolvedAt?: string, jobId?: string) {
  const ticketId = id('T');
  const ref = { ticketId, jurisdiction: community };
  const events: CloudEvent[] = [
    eventOf(ticketCreated, ticketId, createdAt, {
      ...ref,
      version: 0,
      channel: 'hotline',
      category: 'repair',
    }),
    eventOf(ticketTriaged, ticketId, createdAt, {
      ...ref,
      version: 0,
      category: 'repair',
      serviceClass: 'convenience',
      priority: 'general',
      acceptDueAt: dueAt,
      resolveDueAt: dueAt,
      overridden: false,
    }),
    eventOf(ticketRouted, ticketId, createdAt, {
      ...ref,
      version: 0,
      routedTo: 'dispatch',
      ...(jobId ? { jobId } : {}),
    }),
  ];
  if (resolvedAt) {
    events.push(
      eventOf(ticketResolved, ticketId, resolvedAt, {
        ...ref,
        version: 1,
        resolution: 'done',
        callbackDueAt: resolvedAt,
      }),
    );
  }
  return { ticketId, events };
}

function job(
  community: string,
  kind: string,
  at: { requested: string; accepted: string; started: string; completed: string },
) {
  const jobId = id('J');
  const ref = { jobId, jurisdiction: community };
  const provider = { providerId: id('P'), providerKind: kind };
  return {
    jobId,
    events: [
      eventOf(jobRequested, jobId, at.requested, {
        ...ref,
        origin: { service: 'resident-requests', aggregateId: id('T') },
        category: 'repair',
        skill: 'repair',
        priority: 'routine',
      }),
      eventOf(jobOffered, jobId, at.requested, {
        ...ref,
        version: 0,
        offerId: id('O'),
        ...provider,
        round: 1,
        expiresAt: at.accepted,
      }),
      eventOf(jobAccepted, jobId, at.accepted, {
        ...ref,
        version: 1,
        offerId: id('O'),
        ...provider,
        actorId: 'u-1',
      }),
      eventOf(jobStarted, jobId, at.started, { ...ref, version: 2, ...provider, actorId: 'u-1' }),
      eventOf(jobCompleted, jobId, at.completed, {
        ...ref,
        version: 3,
        ...provider,
        outcome: 'done',
        actorId: 'u-1',
      }),
    ],
  };
}

function elder(community: string, livingSituation: string, registeredAt: string) {
  const elderId = id('E');
  return {
    elderId,
    events: [
      eventOf(elderRegistered, elderId, registeredAt, {
        elderId,
        version: 0,
        jurisdiction: community,
        status: 'active',
        livingSituation,
        careLevel: 'self-care',
        hardship: [],
        consentToServices: true,
        source: 'form',
      }),
    ],
  };
}

function safetyVisit(elderId: string, community: string, dueAt: string, checkedOutAt: string) {
  const visitId = id('V');
  const ref = { visitId, jurisdiction: community, elderId };
  return [
    eventOf(visitScheduled, visitId, '2026-03-01T00:00:00.000Z', {
      ...ref,
      version: 0,
      source: 'discover',
      service: 'safety-visit',
      dueAt,
      missedAfter: checkedOutAt,
    }),
    eventOf(visitCompleted, visitId, checkedOutAt, {
      ...ref,
      version: 3,
      providerId: id('P'),
      providerKind: 'volunteer',
      source: 'discover',
      service: 'safety-visit',
      itemsDone: ['safety-visit'],
      observation: 'fine',
      dueAt,
      checkedInAt: dueAt,
      checkedOutAt,
      onTime: true,
      lateMinutes: 0,
      actorId: 'u-2',
    }),
  ];
}

function mediationCase(
  community: string,
  openedAt: string,
  limitAt: string,
  outcome: string,
  outcomeAt: string,
) {
  const caseId = id('K');
  const ref = { caseId, jurisdiction: community };
  return [
    eventOf(caseOpened, caseId, openedAt, {
      ...ref,
      version: 0,
      caseType: 'neighbour',
      riskLevel: 'low',
      source: 'mediator',
      partyCount: 2,
      timeLimitAt: limitAt,
    }),
    eventOf(outcomeRecorded, caseId, outcomeAt, {
      ...ref,
      version: 4,
      caseType: 'neighbour',
      outcome,
      withinTimeLimit: outcomeAt < limitAt,
      openedAt,
      actorId: 'u-3',
    }),
  ];
}

/** Every event of the month, in the order their services would publish them, and what it should add up to. */
export function marchInGulou() {
  const jobOnTime = job(COMMUNITY_1, 'community', {
    requested: '2026-03-02T01:00:00.000Z',
    accepted: '2026-03-02T01:11:00.000Z',
    started: '2026-03-02T02:00:00.000Z',
    completed: '2026-03-02T03:00:00.000Z',
  });
  const jobByVolunteer = job(COMMUNITY_2, 'volunteer', {
    requested: '2026-03-02T05:00:00.000Z',
    accepted: '2026-03-02T05:05:00.000Z',
    started: '2026-03-02T06:00:00.000Z',
    completed: '2026-03-02T08:00:00.000Z',
  });
  // On time; late (resolved after its deadline); late (never resolved, deadline passed).
  const onTime = ticket(
    COMMUNITY_1,
    '2026-03-02T01:00:00.000Z',
    '2026-03-05T00:00:00.000Z',
    '2026-03-03T00:00:00.000Z',
    jobOnTime.jobId,
  );
  const lateResolved = ticket(
    COMMUNITY_2,
    '2026-03-02T01:00:00.000Z',
    '2026-03-04T00:00:00.000Z',
    '2026-03-06T00:00:00.000Z',
  );
  const neverResolved = ticket(COMMUNITY_1, '2026-03-03T01:00:00.000Z', '2026-03-10T00:00:00.000Z');
  const elsewhere = ticket(
    XUANWU_COMMUNITY,
    '2026-03-02T01:00:00.000Z',
    '2026-03-05T00:00:00.000Z',
    '2026-03-03T00:00:00.000Z',
  );
  const feedback = [
    eventOf(feedbackRecorded, onTime.ticketId, '2026-03-04T00:00:00.000Z', {
      ticketId: onTime.ticketId,
      version: 2,
      jurisdiction: COMMUNITY_1,
      satisfaction: 5,
    }),
    eventOf(feedbackRecorded, lateResolved.ticketId, '2026-03-07T00:00:00.000Z', {
      ticketId: lateResolved.ticketId,
      version: 2,
      jurisdiction: COMMUNITY_2,
      satisfaction: 2,
    }),
  ];
  const alone = elder(COMMUNITY_1, 'alone', '2026-02-01T00:00:00.000Z');
  const withFamily = elder(COMMUNITY_2, 'with-family', '2026-02-01T00:00:00.000Z');
  const visit = safetyVisit(
    alone.elderId,
    COMMUNITY_1,
    '2026-03-05T01:00:00.000Z',
    '2026-03-05T02:00:00.000Z',
  );
  const cases = [
    ...mediationCase(
      COMMUNITY_1,
      '2026-03-01T00:00:00.000Z',
      '2026-03-20T00:00:00.000Z',
      'agreement',
      '2026-03-10T00:00:00.000Z',
    ),
    ...mediationCase(
      COMMUNITY_2,
      '2026-03-01T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
      'failed',
      '2026-03-12T00:00:00.000Z',
    ),
  ];
  const alertId = id('A');
  const alertRef = { alertId, jurisdiction: STREET, incidentId: id('I') };
  const issuedAt = '2026-03-03T00:00:00.000Z';
  const alert = [
    eventOf(alertIssued, alertId, issuedAt, {
      ...alertRef,
      version: 0,
      sequence: 1,
      messageType: 'alert',
      audiences: ['residents'],
      areas: [COMMUNITY_1, COMMUNITY_2],
      urgency: 'immediate',
      severity: 'severe',
      certainty: 'likely',
      language: 'zh-CN',
      headline: '暴雨红色预警',
      expiresAt: '2026-03-04T00:00:00.000Z',
    }),
    eventOf(broadcastRecipientsResolved, `${alertId}:1`, '2026-03-03T00:01:00.000Z', {
      broadcastId: `${alertId}:1`,
      jurisdiction: STREET,
      origin: { service: 'emergency', aggregateId: alertId, sequence: 1 },
      recipients: ['r1', 'r2', 'r3'].map((recipientId) => ({
        recipientId,
        kind: 'resident',
        channel: 'sms',
      })),
    }),
    ...[
      ['r1', '2026-03-03T00:11:00.000Z'],
      ['r2', '2026-03-03T00:21:00.000Z'],
    ].map(([recipientId, at]) =>
      eventOf(alertAcknowledged, alertId, at as string, {
        ...alertRef,
        version: 1,
        recipientId,
        response: 'safe',
        channel: 'link',
        issuedAt,
      }),
    ),
  ];
  return {
    events: [
      ...jobOnTime.events,
      ...jobByVolunteer.events,
      ...onTime.events,
      ...lateResolved.events,
      ...neverResolved.events,
      ...elsewhere.events,
      ...feedback,
      ...alone.events,
      ...withFamily.events,
      ...visit,
      ...cases,
      ...alert,
    ],
    /** The street's values for March, by hand. */
    expected: {
      'elder-home-service-share': { value: 0.5, numerator: 1, denominator: 2 },
      'hardship-visit-coverage': { value: 1, numerator: 1, denominator: 1 },
      'mediation-success-rate': { value: 0.5, numerator: 1, denominator: 2 },
      'mediation-within-limit-rate': { value: 0.5, numerator: 1, denominator: 2 },
      'ticket-on-time-rate': { value: 1 / 3, numerator: 1, denominator: 3 },
      'resident-satisfaction-rate': { value: 0.5, numerator: 1, denominator: 2 },
      'job-accept-median-minutes': { value: 8, denominator: 2 },
      'alert-ack-rate': { value: 2 / 3, numerator: 2, denominator: 3 },
      'alert-ack-median-minutes': { value: 16, denominator: 2 },
      'provider-kind-share': {
        value: null,
        denominator: 2,
        breakdown: {
          community: 0.5,
          'social-organisation': 0,
          'social-worker': 0,
          volunteer: 0.5,
          charity: 0,
        },
      },
      'volunteer-service-hours': { value: 2, denominator: 1 },
    } as Record<string, Record<string, unknown>>,
  };
}
