import { createHmac } from 'node:crypto';
import { ackLinkToken, isAckLinkToken } from './ack-link.token';

const KEY = 'a-key-of-sixteen-or-more';

describe('acknowledgement link tokens', () => {
  it('is the unpadded base64url HMAC-SHA256 of "<alertId>:<recipientId>"', () => {
    const expected = createHmac('sha256', KEY)
      .update('I20261129-000001-A1:S20261129-000042')
      .digest('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    const token = ackLinkToken(KEY, 'I20261129-000001-A1', 'S20261129-000042');
    expect(token).toBe(expected);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs per alert, per recipient and per key', () => {
    const token = ackLinkToken(KEY, 'A1', 'r1');
    expect(ackLinkToken(KEY, 'A2', 'r1')).not.toBe(token);
    expect(ackLinkToken(KEY, 'A1', 'r2')).not.toBe(token);
    expect(ackLinkToken(`${KEY}!`, 'A1', 'r1')).not.toBe(token);
  });

  it('accepts its own token and refuses others, of any length', () => {
    const token = ackLinkToken(KEY, 'A1', 'r1');
    expect(isAckLinkToken(KEY, 'A1', 'r1', token)).toBe(true);
    expect(isAckLinkToken(KEY, 'A1', 'r2', token)).toBe(false);
    expect(isAckLinkToken(KEY, 'A1', 'r1', token.slice(0, -1))).toBe(false);
    expect(isAckLinkToken(KEY, 'A1', 'r1', `${token}x`)).toBe(false);
    expect(isAckLinkToken(KEY, 'A1', 'r1', '')).toBe(false);
    expect(isAckLinkToken(KEY, 'A1', 'r1', '中'.repeat(43))).toBe(false);
  });
});
