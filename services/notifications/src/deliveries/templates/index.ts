// Every template by its name (the name a delivery records).
import { alertEscalated, alertMessage, alertReminder } from './alert.templates';
import { escalation, followUpDue, jobOffered, sessionReminder, ticketCallbackDue } from './work.templates';

export * from './template';
export type { AlertEscalatedData, AlertMessageData } from './alert.templates';
export type { EscalationData } from './work.templates';

export const TEMPLATES = {
  'alert-message': alertMessage,
  'alert-reminder': alertReminder,
  'alert-escalated': alertEscalated,
  'job-offered': jobOffered,
  'ticket-callback-due': ticketCallbackDue,
  escalation,
  'session-reminder': sessionReminder,
  'followup-due': followUpDue,
} as const;

export type TemplateName = keyof typeof TEMPLATES;
