import { defineConfig } from '@linli/platform';
import { Type } from '@sinclair/typebox';
import {
  isInternalPath,
  ROUTED_SERVICES,
  UPSTREAM_URLS_PATTERN,
  upstreamPath,
  upstreamsOf,
} from './upstreams';

const urls = {
  RESIDENT_REQUESTS_URL: 'http://requests:3101/',
  DISPATCH_URL: 'http://dispatch:3102',
  ELDER_CARE_URL: 'http://elder-care:3103',
  MEDIATION_URL: 'http://mediation:3104',
  EMERGENCY_URL: 'http://emergency:3105',
  NOTIFICATIONS_URL: 'http://notifications:3106',
  INSIGHTS_URL: 'https://insights.internal/v1',
};

describe('upstreams', () => {
  it('has a URL for every routed service, without a trailing slash', () => {
    const upstreams = upstreamsOf(urls);
    expect([...upstreams.keys()]).toEqual([...ROUTED_SERVICES]);
    expect(upstreams.get('resident-requests')).toEqual(['http://requests:3101']);
    expect(upstreams.get('insights')).toEqual(['https://insights.internal/v1']);
  });

  it('reads a comma-separated list as the instances of a service, each once', () => {
    const upstreams = upstreamsOf({
      ...urls,
      DISPATCH_URL:
        'http://127.0.0.1:3102, http://127.0.0.1:3112/,http://127.0.0.1:3122,http://127.0.0.1:3102',
    });
    expect(upstreams.get('dispatch')).toEqual([
      'http://127.0.0.1:3102',
      'http://127.0.0.1:3112',
      'http://127.0.0.1:3122',
    ]);
  });

  it.each([
    ['http://a:1,http://[broken', /DISPATCH_URL: "http:\/\/\[broken" is not a URL/],
    ['http://a:1,ftp://b:2', /DISPATCH_URL: "ftp:\/\/b:2" must be an http\(s\) base URL/],
    ['http://a:1?x=1', /DISPATCH_URL/],
    [' , ', /DISPATCH_URL: no URL/],
  ])('refuses %s, naming the variable', (value, message) => {
    expect(() => upstreamsOf({ ...urls, DISPATCH_URL: value })).toThrow(message);
  });

  it.each([
    ['http://dispatch:3102', true],
    ['http://127.0.0.1:3102,http://127.0.0.1:3112', true],
    [' http://127.0.0.1:3102 , https://b.internal/x ', true],
    ['http://127.0.0.1:3102,', false],
    ['http://127.0.0.1:3102,dispatch:3112', false],
    ['dispatch:3102', false],
  ])('the configuration takes DISPATCH_URL=%s: %s', (value, valid) => {
    // The gateway's schema declares each URL variable so (config.ts).
    const schema = Type.Object({ DISPATCH_URL: Type.String({ pattern: UPSTREAM_URLS_PATTERN }) });
    const check = () => defineConfig(schema, { DISPATCH_URL: value });
    if (valid) expect(check().DISPATCH_URL).toBe(value);
    else expect(check).toThrow(/DISPATCH_URL/);
  });

  it.each([
    ['/api/dispatch/jobs/j-1/accept', 'http://dispatch:3102', 'http://dispatch:3102/jobs/j-1/accept'],
    ['/api/dispatch/jobs?status=offered&page=2', 'http://dispatch:3102', 'http://dispatch:3102/jobs'],
    ['/api/dispatch', 'http://dispatch:3102', 'http://dispatch:3102/'],
    ['/api/dispatch/', 'http://dispatch:3102', 'http://dispatch:3102/'],
    ['/api/insights/indicators', 'https://insights.internal/v1', 'https://insights.internal/v1/indicators'],
  ])('%s -> %s…', (url, base, expected) => {
    const service = url.split('/')[2] as string;
    expect(upstreamPath(base, service.split('?')[0] as string, url)).toBe(expected);
  });

  it.each([
    ['/api/dispatch/metrics', true],
    ['/api/dispatch/metrics/', true],
    ['/api/dispatch/METRICS?x=1', true],
    ['/api/dispatch/./metrics', true],
    ['/api/dispatch/%6detrics', true],
    ['/api/dispatch/jobs/metrics', false],
    ['/api/dispatch/metricsx', false],
    ['/api/dispatch/health/ready', false],
  ])('%s is internal: %s', (url, internal) => {
    expect(isInternalPath('dispatch', url)).toBe(internal);
  });
});
