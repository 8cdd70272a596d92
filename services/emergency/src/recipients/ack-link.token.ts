// The token of an acknowledgement link (the link in an alert's SMS): whoever holds it may acknowledge that alert for
// that recipient, without an account. notifications builds the links with the same algorithm and key
// (ALERT_ACK_LINK_KEY): token = base64url, unpadded, of HMAC-SHA256(key, "<alertId>:<recipientId>").
import { createHmac, timingSafeEqual } from 'node:crypto';

export function ackLinkToken(key: string, alertId: string, recipientId: string): string {
  return createHmac('sha256', key).update(`${alertId}:${recipientId}`, 'utf8').digest('base64url');
}

/** Whether `token` is the link token of (alertId, recipientId), compared in constant time. */
export function isAckLinkToken(key: string, alertId: string, recipientId: string, token: string): boolean {
  const expected = Buffer.from(ackLinkToken(key, alertId, recipientId), 'utf8');
  const given = Buffer.from(token, 'utf8');
  // timingSafeEqual throws on different lengths; the length of a valid token is public (43 characters) anyway.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
