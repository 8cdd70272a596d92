import { createHmac } from 'node:crypto';
import {
  isLastAttempt,
  newWebhookSecret,
  outcomeOfStatus,
  retryDelayMs,
  signWebhook,
  verifyWebhookSignature,
  webhookHeaders,
} from './webhook.rules';

describe('webhook calls', () => {
  describe('the signature', () => {
    it('is sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>', () => {
      const expected = createHmac('sha256', 'whsec_k').update('1700000000.{"a":1}').digest('hex');
      expect(signWebhook('whsec_k', 1700000000, '{"a":1}')).toBe(`sha256=${expected}`);
    });

    it('headers carry the delivery id, the unix timestamp in seconds and the signature over both', () => {
      const body = '{"deliveryId":"d-1"}';
      const headers = webhookHeaders('s3cret', 'd-1', body, new Date('2026-11-29T12:00:00.750Z'));
      expect(headers['x-linli-delivery']).toBe('d-1');
      expect(headers['x-linli-timestamp']).toBe(String(Date.parse('2026-11-29T12:00:00Z') / 1000));
      expect(
        verifyWebhookSignature('s3cret', headers['x-linli-timestamp'], body, headers['x-linli-signature']),
      ).toBe(true);
    });

    it('does not verify with another secret, another body or another timestamp', () => {
      const signature = signWebhook('s3cret', 100, 'body');
      expect(verifyWebhookSignature('other', 100, 'body', signature)).toBe(false);
      expect(verifyWebhookSignature('s3cret', 100, 'body ', signature)).toBe(false);
      expect(verifyWebhookSignature('s3cret', 101, 'body', signature)).toBe(false);
      expect(verifyWebhookSignature('s3cret', 100, 'body', 'sha256=00')).toBe(false);
    });

    it('secrets are fresh each time and long', () => {
      const [a, b] = [newWebhookSecret(), newWebhookSecret()];
      expect(a).not.toBe(b);
      expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    });
  });

  describe('what an answer means', () => {
    it.each([
      [200, 'sent'],
      [201, 'sent'],
      [204, 'sent'],
      [299, 'sent'],
      [301, 'rejected'],
      [302, 'rejected'],
      [307, 'rejected'],
      [400, 'rejected'],
      [401, 'rejected'],
      [403, 'rejected'],
      [404, 'rejected'],
      [410, 'rejected'],
      [422, 'rejected'],
      [408, 'retry'],
      [429, 'retry'],
      [500, 'retry'],
      [502, 'retry'],
      [503, 'retry'],
      [504, 'retry'],
    ])('HTTP %i → %s', (status, outcome) => {
      expect(outcomeOfStatus(status)).toBe(outcome);
    });
  });

  describe('the backoff schedule', () => {
    it('waits backoff, 3×, 7×, 15×, 31× after the 1st to 5th failure (as Bull computes it)', () => {
      expect([1, 2, 3, 4, 5].map((failures) => retryDelayMs(failures, 5_000))).toEqual([
        5_000, 15_000, 35_000, 75_000, 155_000,
      ]);
    });

    it('each wait is longer than the one before', () => {
      const delays = [1, 2, 3, 4, 5, 6].map((failures) => retryDelayMs(failures, 200));
      delays.slice(1).forEach((delay, index) => expect(delay).toBeGreaterThan(delays[index]));
    });

    it('the try numbered WEBHOOK_ATTEMPTS is the last', () => {
      expect(isLastAttempt(5, 6)).toBe(false);
      expect(isLastAttempt(6, 6)).toBe(true);
      expect(isLastAttempt(7, 6)).toBe(true);
      expect(isLastAttempt(1, 1)).toBe(true);
    });
  });
});
