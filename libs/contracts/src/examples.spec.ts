// One realistic payload per event type: the schemas accept what producers will actually send.
import { allEvents } from './catalogue';
import { validateEventData } from './registry';

const at = '2025-03-01T08:00:00.000Z';
const later = '2025-03-01T10:00:00+08:00';
const gulouCommunity = '320106001001';
const ticket = { ticketId: 'T-20250301-0001', version: 1, jurisdiction: gulouCommunity };
const job = { jobId: '0f8fad5b-d9cb-469f-a165-70867728950e', version: 2, jurisdiction: gulouCommunity };
const provider = { providerId: '65f1c0ffee0000000000abcd', providerKind: 'social-organisation' };
const visit = { visitId: 'visit-1', version: 1, jurisdiction: gulouCommunity, elderId: 'elder-1' };
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
  'linli.elder-care.elder.registered.v1': {
    elderId: 'elder-1',
    version: 0,
    jurisdiction: gulouCommunity,
    careNeed: 'partial-assistance',
    vulnerabilities: ['living-alone', 'advanced-age'],
  },
  'linli.elder-care.careplan.changed.v1': {
    carePlanId: 'plan-1',
    version: 3,
    jurisdiction: gulouCommunity,
    elderId: 'elder-1',
    status: 'active',
    effectiveFrom: at,
    items: [
      { service: 'meal', every: 1, unit: 'day' },
      { service: 'safety-visit', every: 1, unit: 'week' },
    ],
    actorId: 'coord-1',
  },
  'linli.elder-care.visit.scheduled.v1': {
    ...visit,
    version: 0,
    carePlanId: 'plan-1',
    service: 'safety-visit',
    scheduledFor: at,
    dueBy: later,
  },
  'linli.elder-care.visit.checked-in.v1': { ...visit, ...provider, actorId: 'user-3' },
  'linli.elder-care.visit.completed.v1': {
    ...visit,
    ...provider,
    service: 'safety-visit',
    checkedInAt: at,
    concerns: ['repair'],
    actorId: 'user-3',
  },
  'linli.elder-care.visit.missed.v1': { ...visit, scheduledFor: at, reason: 'no-check-in' },
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
