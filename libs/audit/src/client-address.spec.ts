import { clientAddress, parseTrustedProxies, TrustedProxiesError } from './client-address';

const loopback = parseTrustedProxies('127.0.0.0/8,::1/128');

describe('the client address', () => {
  it.each([
    ['a trusted proxy’s first hop', '127.0.0.1', '203.0.113.7, 10.0.0.9', '203.0.113.7'],
    ['a trusted proxy on a dual-stack socket', '::ffff:127.0.0.1', '203.0.113.7', '203.0.113.7'],
    ['an IPv6 client behind a trusted proxy', '::1', '2001:db8::1', '2001:db8::1'],
    ['the peer when the header comes from anyone else', '198.51.100.2', '203.0.113.7', '198.51.100.2'],
    ['the peer when the first hop is not an address', '127.0.0.1', 'unknown, 203.0.113.7', '127.0.0.1'],
    ['the peer without the header', '198.51.100.2', undefined, '198.51.100.2'],
    ['the IPv4 address of a mapped peer', '::ffff:198.51.100.2', undefined, '198.51.100.2'],
  ])('is %s', (_case, peer, header, expected) => {
    expect(clientAddress(peer, header, loopback)).toBe(expected);
  });

  it('is unknown without a peer', () => {
    expect(clientAddress(undefined, '203.0.113.7', loopback)).toBeUndefined();
  });

  it('takes bare addresses as ranges of one and refuses anything else', () => {
    const one = parseTrustedProxies('10.1.2.3');
    expect(clientAddress('10.1.2.3', '203.0.113.7', one)).toBe('203.0.113.7');
    expect(clientAddress('10.1.2.4', '203.0.113.7', one)).toBe('10.1.2.4');
    expect(() => parseTrustedProxies('gateway.local')).toThrow(TrustedProxiesError);
  });
});
