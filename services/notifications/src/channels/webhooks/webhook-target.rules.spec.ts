import {
  checkWebhookTarget,
  isAllowedPrivateTarget,
  nonPublicRange,
  parseAllowedPrivateTargets,
  parseWebhookUrl,
  WebhookTargetError,
  type ResolveAll,
} from './webhook-target.rules';

const NONE = parseAllowedPrivateTargets('');

/** A DNS table: host name → addresses; anything else does not resolve. */
function dns(table: Record<string, string[]>): ResolveAll {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const);
  };
}

const publicDns = dns({ 'hooks.example.com': ['93.184.215.14'] });

async function refusal(
  url: string,
  resolve: ResolveAll = dns({}),
  allowed = NONE,
): Promise<WebhookTargetError> {
  try {
    await checkWebhookTarget(url, resolve, allowed);
  } catch (error) {
    if (error instanceof WebhookTargetError) return error;
    throw error;
  }
  throw new Error(`${url} was not refused`);
}

describe('webhook targets (SSRF guard)', () => {
  describe('the URL', () => {
    it.each([
      ['ftp://hooks.example.com/x', 'scheme ftp'],
      ['file:///etc/passwd', 'scheme file'],
      ['gopher://hooks.example.com/', 'scheme gopher'],
      ['javascript:alert(1)', 'scheme javascript'],
      ['https://user:secret@hooks.example.com/', 'user name or password'],
      ['https://user@hooks.example.com/', 'user name or password'],
      ['not a url', 'is not a URL'],
      ['', 'at most'],
      [`https://hooks.example.com/${'a'.repeat(2100)}`, 'at most'],
    ])('%s is invalid (%s)', (url, message) => {
      expect(() => parseWebhookUrl(url)).toThrow(message);
    });

    it('an http and an https URL with port, path and query are accepted', () => {
      expect(parseWebhookUrl('http://hooks.example.com:8080/a?b=c').port).toBe('8080');
      expect(parseWebhookUrl('https://hooks.example.com/alerts').pathname).toBe('/alerts');
    });
  });

  describe('addresses that are not public unicast', () => {
    it.each([
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.5.4', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.169.254', 'linkLocal'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['0.0.0.0', 'unspecified'],
      ['224.0.0.1', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1', 'linkLocal'],
      ['fc00::1', 'uniqueLocal'],
      ['fd12:3456::1', 'uniqueLocal'],
      ['ff02::1', 'multicast'],
      ['::ffff:127.0.0.1', 'loopback'],
      ['::ffff:10.1.2.3', 'private'],
      ['::ffff:169.254.169.254', 'linkLocal'],
    ])('%s is %s', (address, range) => {
      expect(nonPublicRange(address)).toBe(range);
    });

    it.each(['64:ff9b::a00:1', '2002:a00:1::1', '2001:db8::1', '2001::1', '::7f00:1', '::a00:1', 'fec0::1'])(
      '%s (NAT64, 6to4, documentation, Teredo, IPv4-compatible, site-local: can lead back inside) is not public',
      (address) => {
        expect(nonPublicRange(address)).toBeDefined();
      },
    );

    it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
      '%s is public',
      (address) => {
        expect(nonPublicRange(address)).toBeUndefined();
      },
    );
  });

  describe('literal addresses in the URL', () => {
    it.each([
      'http://127.0.0.1/hook',
      'http://127.1/hook',
      'http://0x7f.0.0.1/hook',
      'http://0177.0.0.1/hook',
      'http://2130706433/hook',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://[0:0:0:0:0:ffff:7f00:1]/hook',
      'http://10.0.0.1/hook',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0:8080/',
      'http://[fd00::1]/',
    ])('%s is refused without asking DNS', async (url) => {
      const error = await refusal(url);
      expect(error.problem).toBe('refused');
      expect(error.message).toMatch(
        /^refused: private or loopback address .+WEBHOOK_ALLOWED_PRIVATE_TARGETS$/,
      );
    });

    it('names the address refused', async () => {
      expect((await refusal('http://127.0.0.1:9/x')).message).toContain('address 127.0.0.1 (loopback)');
    });
  });

  describe('host names', () => {
    it('a host that resolves to a public address is allowed, with that address to connect to', async () => {
      const target = await checkWebhookTarget('https://hooks.example.com/alerts', publicDns, NONE);
      expect(target).toMatchObject({ hostname: 'hooks.example.com', address: '93.184.215.14', family: 4 });
    });

    it('a host that resolves to a private address is refused', async () => {
      const error = await refusal(
        'https://intranet.example.com/',
        dns({ 'intranet.example.com': ['10.1.1.1'] }),
      );
      expect(error.problem).toBe('refused');
      expect(error.message).toContain('10.1.1.1');
    });

    it('a host with one public and one loopback address is refused (either could be dialled)', async () => {
      const resolve = dns({ 'mixed.example.com': ['93.184.215.14', '127.0.0.1'] });
      expect((await refusal('https://mixed.example.com/', resolve)).problem).toBe('refused');
    });

    it('a host resolving to an IPv4-mapped loopback is refused', async () => {
      const resolve = dns({ 'sneaky.example.com': ['::ffff:127.0.0.1'] });
      expect((await refusal('https://sneaky.example.com/', resolve)).problem).toBe('refused');
    });

    it('localhost is refused through what it resolves to', async () => {
      const resolve = dns({ localhost: ['127.0.0.1', '::1'] });
      expect((await refusal('http://localhost:3000/', resolve)).problem).toBe('refused');
    });

    it('a host that does not resolve is unresolvable, not refused', async () => {
      const error = await refusal('https://nowhere.invalid/');
      expect(error.problem).toBe('unresolvable');
      expect(error.message).toContain('ENOTFOUND');
    });

    it('a host that resolves to nothing is unresolvable', async () => {
      expect((await refusal('https://empty.example.com/', dns({ 'empty.example.com': [] }))).problem).toBe(
        'unresolvable',
      );
    });
  });

  describe('the allow-list (WEBHOOK_ALLOWED_PRIVATE_TARGETS)', () => {
    it('a CIDR range allows the addresses in it and no others', async () => {
      const allowed = parseAllowedPrivateTargets('127.0.0.1/32, 10.20.0.0/16');
      await expect(checkWebhookTarget('http://127.0.0.1:4000/', dns({}), allowed)).resolves.toMatchObject({
        address: '127.0.0.1',
      });
      await expect(checkWebhookTarget('http://10.20.3.4/', dns({}), allowed)).resolves.toBeDefined();
      expect((await refusal('http://10.21.0.1/', dns({}), allowed)).problem).toBe('refused');
      expect((await refusal('http://127.0.0.2/', dns({}), allowed)).problem).toBe('refused');
    });

    it('an IPv4 range also allows the IPv4-mapped IPv6 form of its addresses', async () => {
      const allowed = parseAllowedPrivateTargets('127.0.0.1/32');
      await expect(checkWebhookTarget('http://[::ffff:127.0.0.1]/', dns({}), allowed)).resolves.toBeDefined();
    });

    it('a single address is a /32 (or /128)', () => {
      const allowed = parseAllowedPrivateTargets('10.0.0.5,fd00::5');
      expect(isAllowedPrivateTarget(allowed, 'x', '10.0.0.5')).toBe(true);
      expect(isAllowedPrivateTarget(allowed, 'x', '10.0.0.6')).toBe(false);
      expect(isAllowedPrivateTarget(allowed, 'x', 'fd00::5')).toBe(true);
      expect(isAllowedPrivateTarget(allowed, 'x', 'fd00::6')).toBe(false);
    });

    it('a host name allows whatever that host resolves to, and only that host', async () => {
      const allowed = parseAllowedPrivateTargets('alerts.internal');
      const resolve = dns({ 'alerts.internal': ['10.9.8.7'], 'other.internal': ['10.9.8.7'] });
      await expect(checkWebhookTarget('https://alerts.internal/x', resolve, allowed)).resolves.toMatchObject({
        address: '10.9.8.7',
      });
      expect((await refusal('https://other.internal/x', resolve, allowed)).problem).toBe('refused');
    });

    it('an IPv6 range allows its addresses', () => {
      const allowed = parseAllowedPrivateTargets('fd00::/8');
      expect(isAllowedPrivateTarget(allowed, 'x', 'fd12::1')).toBe(true);
      expect(isAllowedPrivateTarget(allowed, 'x', '127.0.0.1')).toBe(false);
    });

    it.each(['10.0.0.0/33', 'not a host!', '1.2.3/8'])('refuses a bad entry %s', (entry) => {
      expect(() => parseAllowedPrivateTargets(entry)).toThrow('WEBHOOK_ALLOWED_PRIVATE_TARGETS');
    });

    it('empty entries are ignored', () => {
      expect(parseAllowedPrivateTargets(' , ').ranges).toHaveLength(0);
    });
  });
});
