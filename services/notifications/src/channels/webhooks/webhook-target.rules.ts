// Which webhook targets notifications may call (SSRF guard): http(s) URLs without credentials whose host resolves
// only to public unicast addresses, unless the deployment allows a private range or host name
// (WEBHOOK_ALLOWED_PRIVATE_TARGETS). Checked at registration and again before every send; the sender then connects
// to the very address checked here, so a DNS answer that changes in between (rebinding) cannot swap it.
import ipaddr from 'ipaddr.js';

/** What a host name resolves to; dns.promises.lookup(host, { all: true }) in production, a table in tests. */
export type ResolveAll = (hostname: string) => Promise<ResolvedAddress[]>;
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Private ranges and host names the deployment allows (WEBHOOK_ALLOWED_PRIVATE_TARGETS, comma-separated). */
export interface AllowedPrivateTargets {
  ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  hosts: ReadonlySet<string>;
}

/** A target that may be called: the URL and the one address to connect to. */
export interface CheckedTarget {
  url: URL;
  /** The host name as the URL gives it (without IPv6 brackets): the Host header and the TLS server name. */
  hostname: string;
  address: string;
  family: 4 | 6;
}

export type WebhookTargetProblem = 'invalid' | 'unresolvable' | 'refused';

/** Why a target may not be called; `message` is safe to show (it names the URL's own address, nothing more). */
export class WebhookTargetError extends Error {
  constructor(
    readonly problem: WebhookTargetProblem,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookTargetError';
  }
}

export const MAX_WEBHOOK_URL_LENGTH = 2048;
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);
const GLOBAL_UNICAST_IPV6 = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/;

/** Parses WEBHOOK_ALLOWED_PRIVATE_TARGETS; a bad entry stops start-up rather than silently allowing nothing. */
export function parseAllowedPrivateTargets(setting: string): AllowedPrivateTargets {
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  const hosts = new Set<string>();
  for (const raw of setting.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry.includes('/')) {
      const [text] = entry.split('/');
      let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
      try {
        range = ipaddr.parseCIDR(entry);
      } catch {
        range = [ipaddr.IPv4.parse('0.0.0.0'), -1];
      }
      if (range[1] < 0 || !isPlainAddress(text)) {
        throw new Error(`WEBHOOK_ALLOWED_PRIVATE_TARGETS: "${entry}" is not a CIDR range`);
      }
      const [address, bits] = range;
      // ::ffff:10.0.0.0/104 is the IPv4 range 10.0.0.0/8: addresses are compared unmapped.
      const plain = unmapped(address);
      ranges.push([plain, plain.kind() !== address.kind() ? bits - 96 : bits]);
    } else if (isPlainAddress(entry)) {
      const address = unmapped(ipaddr.parse(entry));
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (HOST_NAME.test(entry)) {
      hosts.add(entry.replace(/\.$/, ''));
    } else {
      throw new Error(
        `WEBHOOK_ALLOWED_PRIVATE_TARGETS: "${entry}" is neither a CIDR range, an address nor a host name`,
      );
    }
  }
  return { ranges, hosts };
}

/**
 * The URL of a webhook as it will be called: http or https, a host, no user name or password (they would be sent
 * to the target and shown in every read of the webhook). Throws WebhookTargetError('invalid').
 */
export function parseWebhookUrl(raw: string): URL {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_WEBHOOK_URL_LENGTH) {
    throw new WebhookTargetError(
      'invalid',
      `must be an http(s) URL of at most ${MAX_WEBHOOK_URL_LENGTH} characters`,
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetError('invalid', 'is not a URL');
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    throw new WebhookTargetError(
      'invalid',
      `scheme ${url.protocol.replace(':', '')} is not allowed: use http or https`,
    );
  }
  if (url.username || url.password) {
    throw new WebhookTargetError('invalid', 'must not carry a user name or password');
  }
  if (!url.hostname) throw new WebhookTargetError('invalid', 'has no host');
  return url;
}

/** The URL's host without IPv6 brackets; the WHATWG parser already turned 127.1 and 0x7f.0.0.1 into 127.0.0.1. */
export function hostnameOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/**
 * The range of an address that is not public unicast (`loopback`, `private`, `linkLocal`, `uniqueLocal`,
 * `unspecified`, `carrierGradeNat`, `multicast`, `broadcast`, `reserved`, …), or undefined for a public one. An
 * IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries; every other special IPv6
 * range (NAT64, 6to4, Teredo, documentation) counts as not public, since it can lead back into a private network.
 */
export function nonPublicRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'invalid';
  const parsed = unmapped(ipaddr.parse(address));
  const range = parsed.range();
  if (range !== 'unicast') return range;
  // IPv6 unicast is public only inside 2000::/3; ipaddr.js calls e.g. the deprecated IPv4-compatible ::7f00:1 unicast.
  if (parsed.kind() === 'ipv6' && !parsed.match(GLOBAL_UNICAST_IPV6)) return 'reserved';
  return undefined;
}

/** Whether the deployment allows this (non-public) address, or this host name whatever it resolves to. */
export function isAllowedPrivateTarget(
  allowed: AllowedPrivateTargets,
  hostname: string,
  address: string,
): boolean {
  if (allowed.hosts.has(hostname.replace(/\.$/, ''))) return true;
  if (!ipaddr.isValid(address)) return false;
  const parsed = unmapped(ipaddr.parse(address));
  return allowed.ranges.some(
    ([range, bits]) => range.kind() === parsed.kind() && parsed.match(range as never, bits),
  );
}

/**
 * Checks a target before it is stored or called: parses the URL, resolves the host (every address it has), and
 * refuses it when ANY address is not public unicast and not allowed; a host that resolves to one public and one
 * private address is refused, since the connection could go to either. Returns the address to connect to.
 */
export async function checkWebhookTarget(
  raw: string,
  resolveAll: ResolveAll,
  allowed: AllowedPrivateTargets,
): Promise<CheckedTarget> {
  const url = parseWebhookUrl(raw);
  const hostname = hostnameOf(url);
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(hostname) && (hostname.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(hostname))) {
    addresses = [{ address: hostname, family: hostname.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await resolveAll(hostname);
    } catch (error) {
      throw new WebhookTargetError(
        'unresolvable',
        `host ${hostname} could not be resolved (${errorCode(error)})`,
      );
    }
    if (addresses.length === 0) {
      throw new WebhookTargetError('unresolvable', `host ${hostname} has no address`);
    }
  }
  for (const { address } of addresses) {
    const range = nonPublicRange(address);
    if (range && !isAllowedPrivateTarget(allowed, hostname, address)) {
      throw new WebhookTargetError(
        'refused',
        `refused: private or loopback address ${address} (${range}); allow it with WEBHOOK_ALLOWED_PRIVATE_TARGETS`,
      );
    }
  }
  const [first] = addresses;
  return { url, hostname, address: first.address, family: first.family };
}

/** A dotted-quad IPv4 or an IPv6 address (no 127.1 or 0x7f shorthands in configuration: they hide mistakes). */
function isPlainAddress(text: string): boolean {
  return text.includes(':') ? ipaddr.IPv6.isValid(text) : ipaddr.IPv4.isValidFourPartDecimal(text);
}

function unmapped(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'lookup failed';
}
