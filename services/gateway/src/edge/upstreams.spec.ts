import { isInternalPath, ROUTED_SERVICES, upstreamPath, upstreamsOf } from './upstreams';

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
    expect(upstreams.get('resident-requests')).toBe('http://requests:3101');
    expect(upstreams.get('insights')).toBe('https://insights.internal/v1');
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
