// One realistic payload per event type: the schemas accept what producers will actually send.
import { allEvents } from './catalogue';
import { validateEventData } from './registry';

const at = '2025-03-01T08:00:00.000Z';
const later = '2025-03-01T10:00:00+08:00';
const gulouCommunity = '320106001001';
const ticket = { ticketId: 'T-20250301-0001', version: 1, jurisdiction: gulouCommunity };
const job = { jobId: '0f8fad5b-d9cb-469f-a165-70867728950e', version: 2, jurisdiction: gulouCommunity };
const provider = { providerId: '65f1c0ffee0000000000abcd', providerKind: 'social-organisation' };
const visit = {
  visitId: 'VE000042-meal-delivery-202503011100',
  version: 1,
  jurisdiction: gulouCommunity,
  elderId: 'E000042',
};
const elder = {
  elderId: 'E000042',
  version: 1,
  jurisdiction: gulouCommunity,
  status: 'active',
  livingSituation: 'alone',
  careLevel: 'partly-dependent',
  hardship: ['low-income'],
  consentToServices: true,
};
const mediationCase = { caseId: 'case-1', version: 1, jurisdiction: gulouCommunity };
const incident = { incidentId: 'inc-1', version: 0, jurisdiction: '320106' };
const alert = { alertId: 'alert-1', version: 1, jurisdiction: '320106', incidentId: 'inc-1' };
const delivery = {
  deliveryId: 'dlv-1',
  version: 1,
  jurisdiction: '320106',
  recipientId: 'user-7',
  channel: 'sms',
  cause: { eventType: 'linli.emergency.alert.issued.v1', eventId: '2f1d0b1c-3e4a-4c55-9d1e-0d5b8c7a6e21' },
  attempt: 1,
};

const EXAMPLES: Record<string, unknown> = {
  'linli.resident-requests.ticket.created.v1': {
    ...ticket,
    version: 0,
    channel: 'hotline',
    category: 'repair',
    likelyDuplicateOf: 'T-20250228-0042',
    actorId: 'op-1',
  },
  'linli.resident-requests.ticket.triaged.v1': {
    ...ticket,
    category: 'repair',
    serviceClass: 'convenience',
    priority: 'utilities',
    acceptDueAt: at,
    resolveDueAt: later,
    overridden: false,
  },
  'linli.resident-requests.ticket.routed.v1': { ...ticket, routedTo: 'dispatch', jobId: job.jobId },
  'linli.resident-requests.ticket.assigned.v1': { ...ticket, jobId: job.jobId, ...provider },
  'linli.resident-requests.ticket.started.v1': { ...ticket, jobId: job.jobId, actorId: 'user-3' },
  'linli.resident-requests.ticket.resolved.v1': { ...ticket, resolution: 'done', callbackDueAt: later },
  'linli.resident-requests.ticket.closed.v1': { ...ticket, reason: 'feedback-recorded', actorId: 'op-1' },
  'linli.resident-requests.ticket.cancelled.v1': { ...ticket, reason: 'withdrawn', actorId: 'op-1' },
  'linli.resident-requests.ticket.reopened.v1': { ...ticket, reason: 'dissatisfied', actorId: 'op-1' },
  'linli.resident-requests.ticket.escalated.v1': { ...ticket, reason: 'resolve-deadline-missed', level: 1 },
  'linli.resident-requests.feedback.recorded.v1': { ...ticket, satisfaction: 4, actorId: 'op-1' },
  'linli.dispatch.job.requested.v1': {
    jobId: job.jobId,
    jurisdiction: gulouCommunity,
    origin: { service: 'resident-requests', aggregateId: ticket.ticketId },
    category: 'repair',
    skill: 'plumbing',
    priority: 'urgent',
  },
  'linli.dispatch.job.offered.v1': { ...job, offerId: 'offer-1', ...provider, round: 1, expiresAt: later },
  'linli.dispatch.job.accepted.v1': {
    ...job,
    offerId: 'offer-1',
    providerId: 'acme-repairs',
    providerKind: 'company',
    actorId: 'user-3',
  },
  'linli.dispatch.job.declined.v1': {
    ...job,
    offerId: 'offer-1',
    ...provider,
    reason: 'busy',
    actorId: 'user-3',
  },
  'linli.dispatch.job.started.v1': { ...job, ...provider, actorId: 'user-3' },
  'linli.dispatch.job.completed.v1': { ...job, ...provider, outcome: 'done', actorId: 'user-3' },
  'linli.dispatch.job.expired.v1': { ...job, offerId: 'offer-1', ...provider },
  'linli.dispatch.job.escalated.v1': { ...job, reason: 'no-provider', level: 1 },
  'linli.dispatch.job.cancellation-requested.v1': {
    jobId: job.jobId,
    jurisdiction: gulouCommunity,
    origin: { service: 'resident-requests', aggregateId: ticket.ticketId },
    reason: 'origin-cancelled',
  },
  'linli.dispatch.job.cancelled.v1': { ...job, reason: 'origin-cancelled', providerId: provider.providerId },
  'linli.dispatch.job.progress-reported.v1': {
    jobId: 'VE000042-meal-delivery-202503011100-J1',
    jurisdiction: gulouCommunity,
    origin: { service: 'elder-care', aggregateId: 'VE000042-meal-delivery-202503011100' },
    providerId: provider.providerId,
    step: 'completed',
    outcome: 'done',
    at,
  },
  'linli.elder-care.elder.registered.v1': { ...elder, version: 0, source: 'import', actorId: 'op-1' },
  'linli.elder-care.elder.updated.v1': {
    ...elder,
    status: 'inactive',
    inactiveReason: 'care-home',
    actorId: 'op-1',
  },
  'linli.elder-care.elder.discharged.v1': {
    elderId: elder.elderId,
    version: 4,
    jurisdiction: gulouCommunity,
    dischargeId: 'DE000042-20250301',
    dischargedOn: '2025-03-01',
    followUpVisitId: 'VE000042-follow-up-202503041000',
    actorId: 'op-1',
  },
  'linli.elder-care.elder.escalated.v1': {
    elderId: elder.elderId,
    version: 5,
    jurisdiction: gulouCommunity,
    escalationId: 'XE000042-1',
    reason: 'missed-visits-in-a-row',
    visitIds: [visit.visitId, 'VE000042-meal-delivery-202503021100'],
    livingSituation: 'alone',
  },
  'linli.elder-care.elder.welfare-concern-raised.v1': {
    elderId: elder.elderId,
    version: 6,
    jurisdiction: gulouCommunity,
    visitId: visit.visitId,
    findingId: `${visit.visitId}-F1`,
    observedAt: at,
    livingSituation: 'alone',
    careLevel: 'fully-dependent',
    providerId: provider.providerId,
  },
  'linli.elder-care.careplan.changed.v1': {
    carePlanId: 'PE000042',
    version: 3,
    jurisdiction: gulouCommunity,
    elderId: elder.elderId,
    status: 'active',
    items: [
      {
        itemId: 'i1',
        service: 'meal-delivery',
        rhythm: { kind: 'daily', times: ['11:00'] },
        startsOn: '2025-03-01',
      },
      {
        itemId: 'i2',
        service: 'bathing',
        rhythm: { kind: 'weekly', weekdays: ['mon', 'thu'], times: ['09:00'] },
        startsOn: '2025-03-01',
        endsOn: '2025-12-31',
      },
      {
        itemId: 'i3',
        service: 'health-check',
        rhythm: { kind: 'interval', everyDays: 14, times: ['15:30'] },
        startsOn: '2025-03-03',
      },
    ],
    actorId: 'op-1',
  },
  'linli.elder-care.visit.scheduled.v1': {
    ...visit,
    version: 0,
    source: 'plan',
    carePlanId: 'PE000042',
    carePlanVersion: 3,
    service: 'meal-delivery',
    dueAt: at,
    missedAfter: later,
  },
  'linli.elder-care.visit.dispatched.v1': { ...visit, jobId: `${visit.visitId}-J1`, attempt: 1 },
  'linli.elder-care.visit.assigned.v1': { ...visit, jobId: `${visit.visitId}-J1`, ...provider },
  'linli.elder-care.visit.checked-in.v1': {
    ...visit,
    ...provider,
    checkedInAt: at,
    farFromHome: false,
    actorId: 'user-3',
  },
  'linli.elder-care.visit.completed.v1': {
    ...visit,
    ...provider,
    source: 'plan',
    service: 'meal-delivery',
    itemsDone: ['meal-delivery', 'companionship'],
    observation: 'concern',
    dueAt: at,
    checkedInAt: at,
    checkedOutAt: later,
    onTime: true,
    lateMinutes: 0,
    actorId: 'user-3',
  },
  'linli.elder-care.visit.finding-reported.v1': {
    ...visit,
    findingId: `${visit.visitId}-F1`,
    observation: 'concern',
    category: 'repair',
    summary: 'The kitchen tap leaks and the elder cannot turn the water off.',
    providerId: provider.providerId,
  },
  'linli.elder-care.visit.missed.v1': {
    ...visit,
    service: 'meal-delivery',
    dueAt: at,
    attempt: 1,
    reason: 'no-check-in',
    redispatched: true,
    missedInARow: 1,
  },
  'linli.elder-care.visit.cancelled.v1': { ...visit, reason: 'plan-changed', actorId: 'op-1' },
  'linli.mediation.case.opened.v1': {
    ...mediationCase,
    version: 0,
    disputeKind: 'neighbour',
    partyCount: 2,
    ticketId: ticket.ticketId,
    dueAt: later,
  },
  'linli.mediation.case.assigned.v1': { ...mediationCase, mediatorId: 'med-1' },
  'linli.mediation.session.scheduled.v1': {
    ...mediationCase,
    sessionId: 'sess-1',
    mediatorId: 'med-1',
    format: 'in-person',
    scheduledFor: later,
  },
  'linli.mediation.outcome.recorded.v1': {
    ...mediationCase,
    outcome: 'agreement',
    agreementId: 'agr-1',
    followUpDueAt: later,
    actorId: 'med-1',
  },
  'linli.mediation.case.escalated.v1': { ...mediationCase, reason: 'deadline-missed', level: 1 },
  'linli.mediation.case.closed.v1': { ...mediationCase, reason: 'agreement-kept' },
  'linli.emergency.incident.declared.v1': {
    ...incident,
    kind: 'flood',
    severity: 'severe',
    areas: ['320106001', '320106002'],
    actorId: 'coord-1',
  },
  'linli.emergency.incident.updated.v1': {
    ...incident,
    severity: 'extreme',
    areas: ['320106'],
    actorId: 'coord-1',
  },
  'linli.emergency.incident.closed.v1': { ...incident, reason: 'all-clear', actorId: 'coord-1' },
  'linli.emergency.alert.issued.v1': {
    ...alert,
    areas: ['320106001'],
    urgency: 'immediate',
    severity: 'severe',
    certainty: 'observed',
    response: 'evacuate',
    headline: 'Flood warning: move to higher floors now',
    acknowledgeBy: later,
    expiresAt: later,
    actorId: 'coord-1',
  },
  'linli.emergency.alert.acknowledged.v1': {
    ...alert,
    recipientId: 'user-7',
    channel: 'app',
    needsHelp: false,
  },
  'linli.emergency.alert.escalated.v1': {
    ...alert,
    reason: 'unacknowledged',
    level: 1,
    unacknowledgedCount: 12,
  },
  'linli.notifications.delivery.sent.v1': delivery,
  'linli.notifications.delivery.failed.v1': { ...delivery, reason: 'timeout', final: false },
  'linli.gateway.audit.recorded.v1': {
    auditId: 'audit-1',
    jurisdiction: '320106',
    actorId: 'user-3',
    actorRole: 'provider',
    action: 'personal-data.read',
    outcome: 'allowed',
    resource: { service: 'resident-requests', type: 'ticket', id: ticket.ticketId },
    fields: ['resident.phone'],
  },
};

describe('realistic payloads', () => {
  it('exist for every event type', () => {
    expect(Object.keys(EXAMPLES).sort()).toEqual(allEvents.map((event) => event.type).sort());
  });

  it.each(allEvents.map((event) => [event.type, event]))('a realistic %s is valid', (type, event) => {
    expect(validateEventData(event, EXAMPLES[type])).toEqual({ ok: true, data: EXAMPLES[type] });
  });
});
