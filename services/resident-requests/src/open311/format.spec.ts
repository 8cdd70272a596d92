import { formatOfUrl, splitFormat } from './format';

describe('Open311 format negotiation by suffix', () => {
  it.each([
    ['services.xml', { name: 'services', format: 'xml', suffix: 'xml' }],
    ['services.json', { name: 'services', format: 'json', suffix: 'json' }],
    ['services.JSON', { name: 'services', format: 'json', suffix: 'JSON' }],
    ['T20261129-000123.json', { name: 'T20261129-000123', format: 'json', suffix: 'json' }],
    ['a.b.xml', { name: 'a.b', format: 'xml', suffix: 'xml' }],
    ['services.html', { name: 'services', suffix: 'html' }],
    ['services', { name: 'services' }],
    ['.json', { name: '.json' }],
  ])('%s → %j', (segment, expected) => {
    expect(splitFormat(segment)).toEqual(expected);
  });

  it.each([
    ['/open311/v2/services.json', 'json'],
    ['/open311/v2/requests/T1.json?jurisdiction_id=x.y', 'json'],
    ['/open311/v2/requests.xml', 'xml'],
    ['/open311/v2/requests.yaml', 'xml'],
    ['/open311/v2/requests', 'xml'],
    ['/open311/v2/requests/%E0%A4%A.json', 'json'],
  ])('errors of %s are written as %s', (url, format) => {
    expect(formatOfUrl(url)).toBe(format);
  });
});
