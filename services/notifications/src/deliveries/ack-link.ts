// The acknowledgement link sent in an alert's SMS: its token is an HMAC both notifications (which writes it) and
// emergency (which checks it) compute with ALERT_ACK_LINK_KEY, so a resident without an account can acknowledge.
import { createHmac } from 'node:crypto';

/** base64url(HMAC-SHA256(key, `<alertId>:<recipientId>`)). */
export function ackLinkToken(key: string, alertId: string, recipientId: string): string {
  return createHmac('sha256', key).update(`${alertId}:${recipientId}`).digest('base64url');
}

/** `<base>?a=<alertId>&r=<recipientId>&t=<token>`. */
export function ackLink(baseUrl: string, key: string, alertId: string, recipientId: string): string {
  const query = new URLSearchParams({
    a: alertId,
    r: recipientId,
    t: ackLinkToken(key, alertId, recipientId),
  });
  return `${baseUrl}?${query.toString()}`;
}
