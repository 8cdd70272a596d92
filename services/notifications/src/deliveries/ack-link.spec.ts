import { createHmac } from 'node:crypto';
import { ackLink, ackLinkToken } from './ack-link';

describe('acknowledgement link', () => {
  it('signs `<alertId>:<recipientId>` with HMAC-SHA256, base64url (fixed vector)', () => {
    // The vector emergency's verifier is checked against too: key, alert, recipient → token.
    expect(ackLinkToken('linli-dev-ack-link-key-change-me', 'I20261129-000001-A1', 'S20261129-000001')).toBe(
      createHmac('sha256', 'linli-dev-ack-link-key-change-me')
        .update('I20261129-000001-A1:S20261129-000001')
        .digest('base64url'),
    );
    expect(ackLinkToken('k'.repeat(16), 'A', 'R')).toBe('fethaJKkE3Qi3S8LCwU4ZRxw7CLns3O7I8f4EDbNK2A');
  });

  it('builds the link with a, r and t', () => {
    const link = ackLink('http://localhost:3105/acknowledgements/link', 'k'.repeat(16), 'A', 'R');
    expect(link).toBe(
      'http://localhost:3105/acknowledgements/link?a=A&r=R&t=fethaJKkE3Qi3S8LCwU4ZRxw7CLns3O7I8f4EDbNK2A',
    );
  });
});
