// The alert as clients read it: its current fields and every message (an imported one without its raw CAP, which
// GET …/messages/:seq/cap gives).
import type { AlertFields, AlertMessage, AlertState } from './alert.rules';
import { viewStatus } from './alert.rules';

function fieldsView(fields: AlertFields): Record<string, unknown> {
  const { acknowledgeWithinMs, ...rest } = fields;
  return { ...rest, acknowledgeWithinMinutes: Math.round(acknowledgeWithinMs / 60_000) };
}

export function toMessageView(stored: AlertMessage): Record<string, unknown> {
  // The Idempotency-Key record is the service's bookkeeping (ADR 0035), not part of the message.
  const { idempotency: _key, ...message } = stored;
  const { cap, capKey: _capKey, acknowledgeWithinMs: _ack, ...rest } = message;
  return {
    ...fieldsView(message),
    ...rest,
    ...(cap ? { capIdentifier: cap.identifier, capSender: cap.sender, capStatus: cap.status } : {}),
  };
}

export function toAlertView(state: AlertState, now = new Date()): Record<string, unknown> {
  return {
    alertId: state.alertId,
    incidentId: state.incidentId,
    version: state.version,
    status: viewStatus(state, now),
    jurisdiction: state.jurisdiction,
    source: state.source,
    createdAt: state.createdAt,
    ...fieldsView(state.current),
    messages: state.messages.map(toMessageView),
  };
}
