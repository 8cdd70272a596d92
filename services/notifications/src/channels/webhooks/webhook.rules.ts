// The rules of a webhook call: the body and its signature, what an answer means, and when the next try comes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What the receiving system gets: the rendered message and ids only (no phone, no name beyond the text). */
export interface WebhookBody {
  deliveryId: string;
  template: string;
  title: string;
  body: string;
  data: Record<string, string | number | boolean>;
  createdAt: string;
}

export const SIGNATURE_HEADER = 'x-linli-signature';
export const TIMESTAMP_HEADER = 'x-linli-timestamp';
export const DELIVERY_HEADER = 'x-linli-delivery';

/** A new signing secret: 32 random bytes, base64url, prefixed so it is recognisable in a secret scanner. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`; the timestamp is unix seconds. */
export function signWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** How a receiver verifies a call (documented for integrators, used by the tests): constant-time comparison. */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number,
  rawBody: string,
  signature: string,
): boolean {
  const expected = Buffer.from(signWebhook(secret, Number(timestamp), rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The headers of a call at `now`. */
export function webhookHeaders(
  secret: string,
  deliveryId: string,
  rawBody: string,
  now: Date,
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json; charset=utf-8',
    [DELIVERY_HEADER]: deliveryId,
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook(secret, timestamp, rawBody),
  };
}

/**
 * What an HTTP answer means: 2xx sent; a 4xx other than 408 (timeout) and 429 (slow down) will not change on a
 * retry, nor will a redirect (never followed: it could point anywhere, private addresses included); anything
 * else (5xx, 408, 429) is tried again.
 */
export type CallOutcome = 'sent' | 'rejected' | 'retry';

export function outcomeOfStatus(status: number): CallOutcome {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 429) return 'retry';
  if (status >= 300 && status < 500) return 'rejected';
  return 'retry';
}

/**
 * The wait before the next try after `failures` failed tries, as Bull's exponential backoff computes it
 * (`(2^failures - 1) × backoff`): backoff, 3×, 7×, 15× … after the 1st, 2nd, 3rd, 4th failure. Kept equal to
 * Bull's so `nextAttemptAt` shows when the retry will really run.
 */
export function retryDelayMs(failures: number, backoffMs: number): number {
  return Math.round((Math.pow(2, failures) - 1) * backoffMs);
}

/** Whether the try numbered `attempt` (1-based) is the last one allowed. */
export function isLastAttempt(attempt: number, maxAttempts: number): boolean {
  return attempt >= maxAttempts;
}
