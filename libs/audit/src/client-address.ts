// From where a request came: the socket's peer, or the first hop of x-forwarded-for when that peer is a trusted
// proxy (the gateway, which sets the header). A header from anyone else is ignored: it is the caller's to forge.
import ipaddr from 'ipaddr.js';

export type TrustedProxies = ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

export class TrustedProxiesError extends Error {
  override readonly name = 'TrustedProxiesError';
}

/** `127.0.0.0/8,::1/128,10.1.2.3` → ranges; a bare address is a range of one. Throws on anything else. */
export function parseTrustedProxies(text: string): TrustedProxies {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      if (ipaddr.isValidCIDR(item)) return ipaddr.parseCIDR(item);
      if (ipaddr.isValid(item)) {
        const address = ipaddr.parse(item);
        return [address, address.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
      }
      throw new TrustedProxiesError(`AUDIT_TRUSTED_PROXIES: ${item} is neither an address nor a CIDR range`);
    });
}

/** `::ffff:10.0.0.1` (how Node reports IPv4 peers on a dual-stack socket) as the IPv4 address it is. */
function normalised(address: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = address.trim().replace(/^\[(.*)\]$/, '$1');
  if (!ipaddr.isValid(bare)) return undefined;
  return ipaddr.process(bare);
}

export function isTrustedProxy(peer: string | undefined, proxies: TrustedProxies): boolean {
  const address = peer === undefined ? undefined : normalised(peer);
  if (!address) return false;
  return proxies.some(([range, bits]) => address.kind() === range.kind() && address.match(range, bits));
}

/**
 * The client's address: x-forwarded-for's first hop (the client as the gateway saw it) when the peer is trusted
 * and the hop is an address; else the peer. Undefined when neither is known.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: TrustedProxies,
): string | undefined {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  if (header && isTrustedProxy(peer, proxies)) {
    const first = normalised(header.split(',')[0] ?? '');
    if (first) return first.toString();
  }
  const own = peer === undefined ? undefined : normalised(peer);
  return own?.toString();
}
