// Who may call what: every route of every service, by role (OWASP API5, function-level authorization). Written
// by hand, apart from the code's @Roles, so that a route whose roles change (or a new route) fails the
// route-by-role test until someone decides here, in review, that the change is right.
//
// The rule of thumb the entries follow (DESIGN's security rules, MLPS 2.0's separation of duties):
// - operator: the hotline (tickets, callbacks), elders' registration, reads of what it routes work to;
// - provider / mediator: only the jobs offered to or held by their provider (dispatch, elder-care visits, welfare
//   checks); never lists of residents, never administration;
// - coordinator: dispatch and emergency operations; supervisor: everything of their jurisdiction's operations;
// - auditor: the audit log, nothing of the operations (it reads, it does not act);
// - admin: users and configuration (API keys, webhooks, SMS adapter) — and today also every operation (see
//   REVIEW notes);
// - 'public': no token needed (health probes, the category catalogue, the SMS acknowledgement link).
// The checks inside a route (a provider's own job, the caller's jurisdiction) are not this file's business: the
// object-level tests cover them.
import type { Role } from '@linli/auth';
import { ROLES } from '@linli/contracts';

/** The roles a token can carry: every role of the platform but `system` (a new role is walked at once). */
export type TokenRole = Exclude<Role, 'system'>;
export const TOKEN_ROLES: readonly TokenRole[] = ROLES.filter((role): role is TokenRole => role !== 'system');

/** Any signed-in user, whatever the role: the caller's own inbox, contact, answer to an alert. */
const SIGNED_IN: readonly TokenRole[] = TOKEN_ROLES;

export type Allowed = 'public' | readonly TokenRole[];

/** `METHOD /path` as the OpenAPI document writes it (`{param}`), to who may call it. */
export type ServicePolicy = Readonly<Record<string, Allowed>>;

const HEALTH: ServicePolicy = {
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
};

const HOTLINE: readonly TokenRole[] = ['operator', 'supervisor', 'admin'];

export const ROUTE_POLICY = {
  gateway: {
    ...HEALTH,
    'POST /auth/login': 'public',
    'POST /auth/refresh': 'public',
    'POST /auth/logout': SIGNED_IN,
    'GET /me': SIGNED_IN,
    'POST /me/password': SIGNED_IN,
    // Users and roles: the administrator's, and nobody else's (MLPS 2.0: the auditor is not the admin).
    'POST /users': ['admin'],
    'GET /users': ['admin'],
    'GET /users/{userId}': ['admin'],
    'PATCH /users/{userId}': ['admin'],
    'POST /users/{userId}/password': ['admin'],
    'POST /users/{userId}/unlock': ['admin'],
    // The audit log, within the caller's jurisdiction; checking the chain is the auditor's (and the admin's).
    'GET /audit': ['auditor', 'supervisor', 'admin'],
    'GET /audit/verify': ['auditor', 'admin'],
    // Change notices (ids only) within the caller's jurisdiction; the console refetches through the APIs. The
    // browser files at /vendor/ are the edge's, like the console's, outside the OpenAPI document.
    'GET /live': SIGNED_IN,
  },
  'resident-requests': {
    ...HEALTH,
    'GET /categories': 'public',
    // Suggestions from what a resident said on the phone: the hotline's.
    'GET /categories/suggestions': HOTLINE,
    // The administrative tree (public statistics codes) for every role's place pickers, within their jurisdiction.
    'GET /divisions': SIGNED_IN,
    'POST /tickets': HOTLINE,
    'GET /tickets': HOTLINE,
    // The duplicate warning: the open tickets of a phone number, ids and statuses only.
    'GET /tickets/open-by-phone': HOTLINE,
    'GET /tickets/{ticketId}': HOTLINE,
    // A provider or mediator reads the resident's contact only while holding the ticket's job (checked inside).
    'GET /tickets/{ticketId}/contact': ['provider', 'mediator', ...HOTLINE],
    'POST /tickets/{ticketId}/priority': HOTLINE,
    'POST /tickets/{ticketId}/cancel': HOTLINE,
    'POST /tickets/{ticketId}/reopen': HOTLINE,
    'POST /tickets/{ticketId}/resolve': HOTLINE,
    'POST /tickets/{ticketId}/callback': HOTLINE,
    'GET /callbacks': HOTLINE,
    // Issues Open311 API keys: administration.
    'POST /open311-clients': ['admin'],
  },
  dispatch: {
    ...HEALTH,
    'POST /providers': ['admin', 'supervisor', 'coordinator'],
    'GET /providers': ['admin', 'supervisor', 'coordinator', 'operator'],
    // A provider or mediator user reads and changes (availability only) its own provider, checked inside.
    'GET /providers/{providerId}': ['admin', 'supervisor', 'coordinator', 'operator', 'provider', 'mediator'],
    'PATCH /providers/{providerId}': ['admin', 'supervisor', 'coordinator', 'provider', 'mediator'],
    'GET /jobs/offered': ['provider', 'mediator'],
    'GET /jobs/mine': ['provider', 'mediator'],
    'GET /jobs': ['admin', 'supervisor', 'coordinator', 'operator'],
    'GET /jobs/{jobId}': ['admin', 'supervisor', 'coordinator', 'operator', 'provider', 'mediator'],
    'POST /jobs/{jobId}/accept': ['provider', 'mediator'],
    'POST /jobs/{jobId}/decline': ['provider', 'mediator'],
    'POST /jobs/{jobId}/start': ['provider', 'mediator'],
    'POST /jobs/{jobId}/complete': ['provider', 'mediator'],
    'POST /jobs/{jobId}/reoffer': ['supervisor', 'coordinator'],
    'POST /jobs/{jobId}/cancel': ['supervisor', 'coordinator'],
  },
  'elder-care': {
    ...HEALTH,
    'POST /elders': ['admin', 'supervisor', 'operator'],
    'GET /elders': ['admin', 'supervisor', 'coordinator', 'operator'],
    'POST /elders/import': ['admin', 'supervisor', 'operator'],
    'GET /elder-imports/{importId}': ['admin', 'supervisor', 'coordinator', 'operator'],
    'GET /elders/{elderId}': ['admin', 'supervisor', 'coordinator', 'operator'],
    'PATCH /elders/{elderId}': ['admin', 'supervisor', 'operator'],
    'POST /elders/{elderId}/deactivate': ['admin', 'supervisor', 'operator'],
    'POST /elders/{elderId}/reactivate': ['admin', 'supervisor', 'operator'],
    'PUT /communities/{code}/emergency-contacts': ['admin', 'supervisor'],
    'GET /communities/{code}/emergency-contacts': ['admin', 'supervisor', 'coordinator', 'operator'],
    'PUT /elders/{elderId}/care-plan': ['operator', 'supervisor', 'admin'],
    'GET /elders/{elderId}/care-plan': ['operator', 'supervisor', 'admin', 'coordinator'],
    'DELETE /elders/{elderId}/care-plan': ['operator', 'supervisor', 'admin'],
    'GET /elders/{elderId}/care-plan/versions': ['operator', 'supervisor', 'admin', 'coordinator'],
    'GET /elders/{elderId}/visits': ['operator', 'supervisor', 'admin', 'coordinator'],
    'POST /elders/{elderId}/visits': ['operator', 'supervisor', 'admin'],
    'POST /elders/{elderId}/discharges': ['operator', 'supervisor', 'admin'],
    // A provider sees the visits of its own provider (checked inside), and the elder's contact while holding one.
    'GET /visits': ['operator', 'supervisor', 'admin', 'coordinator', 'provider'],
    'GET /visits/{visitId}': ['operator', 'supervisor', 'admin', 'coordinator', 'provider'],
    'GET /visits/{visitId}/contact': ['operator', 'supervisor', 'admin', 'provider'],
    'POST /visits/{visitId}/check-in': ['provider'],
    'POST /visits/{visitId}/check-out': ['provider'],
    'GET /escalations': ['supervisor', 'admin', 'coordinator'],
    'POST /escalations/{escalationId}/acknowledge': ['supervisor', 'admin', 'coordinator'],
  },
  mediation: {
    ...HEALTH,
    'POST /cases': ['operator', 'mediator', 'supervisor', 'admin'],
    'GET /cases': ['operator', 'mediator', 'supervisor', 'admin'],
    'GET /cases/{caseId}': ['operator', 'mediator', 'supervisor', 'admin'],
    'PATCH /cases/{caseId}': ['operator', 'mediator', 'supervisor', 'admin'],
    'PUT /cases/{caseId}/parties': ['operator', 'mediator', 'supervisor', 'admin'],
    'POST /cases/{caseId}/assign': ['supervisor', 'admin'],
    'POST /cases/{caseId}/recuse': ['mediator'],
    'POST /cases/{caseId}/extend': ['mediator', 'supervisor', 'admin'],
    'POST /cases/{caseId}/escalate': ['supervisor', 'admin'],
    'POST /cases/{caseId}/withdraw': ['operator', 'mediator', 'supervisor', 'admin'],
    // A mediator declares its own conflicts of interest; supervisors read anyone's to assign around them.
    'POST /mediators/me/conflicts': ['mediator'],
    'GET /mediators/me/conflicts': ['mediator'],
    'DELETE /mediators/me/conflicts/{conflictId}': ['mediator'],
    'GET /mediators/{mediatorId}/conflicts': ['supervisor', 'admin'],
    'POST /cases/{caseId}/sessions': ['mediator', 'supervisor', 'admin'],
    'PUT /cases/{caseId}/sessions/{sessionId}': ['mediator', 'supervisor', 'admin'],
    'DELETE /cases/{caseId}/sessions/{sessionId}': ['mediator', 'supervisor', 'admin'],
    'POST /cases/{caseId}/sessions/{sessionId}/record': ['mediator', 'supervisor', 'admin'],
    'POST /cases/{caseId}/outcome': ['mediator', 'supervisor', 'admin'],
    // The sessions calendar: a mediator's own cases' sessions, supervisors' of their jurisdiction; nothing personal.
    'GET /sessions': ['mediator', 'supervisor', 'admin'],
    'GET /follow-ups/due': ['mediator', 'supervisor', 'admin'],
    'POST /cases/{caseId}/follow-ups/{followUpId}': ['mediator', 'supervisor', 'admin'],
  },
  emergency: {
    ...HEALTH,
    'POST /incidents': ['coordinator', 'supervisor', 'admin'],
    'GET /incidents': ['coordinator', 'supervisor', 'admin', 'operator'],
    'GET /incidents/{incidentId}': ['coordinator', 'supervisor', 'admin', 'operator'],
    'POST /incidents/{incidentId}/updates': ['coordinator', 'supervisor', 'admin'],
    'POST /incidents/{incidentId}/activate': ['coordinator', 'supervisor', 'admin'],
    'POST /incidents/{incidentId}/all-clear': ['coordinator', 'supervisor', 'admin'],
    'POST /incidents/{incidentId}/close': ['coordinator', 'supervisor', 'admin'],
    'POST /incidents/{incidentId}/alerts': ['coordinator', 'supervisor', 'admin'],
    'POST /alerts/{alertId}/updates': ['coordinator', 'supervisor', 'admin'],
    'POST /alerts/{alertId}/cancel': ['coordinator', 'supervisor', 'admin'],
    'GET /incidents/{incidentId}/alerts': ['coordinator', 'supervisor', 'admin', 'operator'],
    'GET /alerts/{alertId}': ['coordinator', 'supervisor', 'admin', 'operator'],
    'GET /alerts/{alertId}/cap': ['coordinator', 'supervisor', 'admin', 'operator'],
    'GET /alerts/{alertId}/messages/{sequence}/cap': ['coordinator', 'supervisor', 'admin', 'operator'],
    'POST /cap': ['coordinator', 'supervisor', 'admin'],
    // Every signed-in user answers an alert sent to them (its own answer); recording someone else's answer is for
    // the staff roles, checked inside.
    'POST /alerts/{alertId}/acknowledgements': SIGNED_IN,
    // The SMS link: its HMAC token is the credential.
    'POST /acknowledgements/link': 'public',
    'GET /acknowledgements/link': 'public',
    'GET /alerts/{alertId}/recipients': ['coordinator', 'supervisor', 'admin'],
    'GET /alerts/{alertId}/board': ['coordinator', 'supervisor', 'admin'],
    'GET /incidents/{incidentId}/welfare-checks': ['coordinator', 'supervisor', 'admin', 'operator'],
    'POST /welfare-checks/{checkId}/result': ['provider', 'coordinator', 'supervisor', 'admin'],
  },
  notifications: {
    ...HEALTH,
    // The caller's own contact details and inbox.
    'GET /contacts/me': SIGNED_IN,
    'PUT /contacts/me': SIGNED_IN,
    'GET /contacts': ['admin', 'coordinator', 'supervisor', 'operator'],
    'GET /contacts/{contactId}': ['admin', 'coordinator', 'supervisor', 'operator'],
    'PUT /contacts/{contactId}': ['admin', 'coordinator', 'supervisor'],
    'DELETE /contacts/{contactId}': ['admin', 'coordinator', 'supervisor'],
    'POST /subscriptions': ['operator', 'coordinator', 'admin'],
    'DELETE /subscriptions/{subscriptionId}': ['operator', 'coordinator', 'admin'],
    'POST /webhooks': ['admin', 'coordinator'],
    'GET /webhooks/{webhookId}': ['admin', 'coordinator'],
    'DELETE /webhooks/{webhookId}': ['admin', 'coordinator'],
    'GET /webhooks/{webhookId}/deliveries': ['admin', 'coordinator'],
    // The development SMS adapter's record of sent messages (their text carries acknowledgement links).
    'GET /sms/recorded': ['admin'],
    'GET /inbox': SIGNED_IN,
    'GET /inbox/unread-count': SIGNED_IN,
    'POST /inbox/read-all': SIGNED_IN,
    'POST /inbox/{deliveryId}/read': SIGNED_IN,
    'GET /inbox/stream': SIGNED_IN,
    'GET /deliveries': ['coordinator', 'supervisor', 'admin'],
    'GET /deliveries/{deliveryId}': ['coordinator', 'supervisor', 'admin'],
    'GET /broadcasts/{broadcastId}': ['coordinator', 'supervisor', 'admin'],
  },
  insights: {
    ...HEALTH,
    // The plan's indicators of the caller's jurisdiction: the supervisors watch them, auditors and admins read them.
    'GET /indicators': ['supervisor', 'admin', 'auditor'],
    'GET /indicators/values': ['supervisor', 'admin', 'auditor'],
    'GET /indicators/{code}/trend': ['supervisor', 'admin', 'auditor'],
    'GET /indicators/{code}/breakdown': ['supervisor', 'admin', 'auditor'],
    // Any table of the console as a CSV or XLSX file: the rows come in the request, so any signed-in user may.
    'POST /exports': SIGNED_IN,
  },
} as const satisfies Record<string, ServicePolicy>;

export type PolicedService = keyof typeof ROUTE_POLICY;
