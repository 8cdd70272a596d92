// The names of emergency's mongoose models, here only: the relay publishes the outboxes of those listed in
// OUTBOX_MODELS, and each module registers its own models under these names.
export const INCIDENT_MODEL = 'EmergencyIncident';
export const ALERT_MODEL = 'EmergencyAlert';
/** One per recipient of an alert: what they acknowledged, whether they were chased (recipients/). */
export const ALERT_RECIPIENT_MODEL = 'EmergencyAlertRecipient';
/** One per alert message seen on the alert stream, with its deadlines (recipients/). */
export const ALERT_MESSAGE_MODEL = 'EmergencyAlertMessage';
/** One per batch of a chase (alert.resend-requested) and per escalation (recipients/). */
export const ALERT_CHASE_MODEL = 'EmergencyAlertChase';
/** One per vulnerable resident per incident (welfare/). */
export const WELFARE_CHECK_MODEL = 'EmergencyWelfareCheck';
/** The residents in hardship per community, from elder-care's events (welfare/). */
export const VULNERABLE_RESIDENT_MODEL = 'EmergencyVulnerableResident';

/** Each piece adds its aggregate's model here when it registers it (an unregistered name stops start-up). */
export const OUTBOX_MODELS: readonly string[] = [
  INCIDENT_MODEL,
  ALERT_MODEL,
  WELFARE_CHECK_MODEL,
  ALERT_RECIPIENT_MODEL,
  ALERT_CHASE_MODEL,
];
