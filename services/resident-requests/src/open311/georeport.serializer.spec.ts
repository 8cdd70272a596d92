import { XMLParser } from 'fast-xml-parser';
import { serialize } from './georeport.serializer';

const parser = new XMLParser({ ignoreDeclaration: false, parseTagValue: false, ignoreAttributes: false });

describe('GeoReport serialisation', () => {
  it('writes a root list as <root><item>… in XML with the UTF-8 declaration, and as a bare array in JSON', () => {
    const document = {
      root: 'services' as const,
      items: [
        { service_code: 'repair', metadata: true, keywords: '' },
        { service_code: 'other', metadata: false, keywords: null },
      ],
    };
    const xml = serialize(document, 'xml');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(parser.parse(xml).services.service).toEqual([
      { service_code: 'repair', metadata: 'true', keywords: '' },
      { service_code: 'other', metadata: 'false', keywords: '' },
    ]);
    expect(JSON.parse(serialize(document, 'json'))).toEqual(document.items);
  });

  it('writes an empty list as an empty root element and an empty array', () => {
    const document = { root: 'service_requests' as const, items: [] };
    expect(serialize(document, 'xml')).toContain('<service_requests></service_requests>');
    expect(serialize(document, 'json')).toBe('[]');
  });

  it('wraps nested lists in their item elements (attributes/attribute, values/value, formats/format)', () => {
    const body = {
      service_code: 'repair',
      attributes: [
        {
          code: 'c',
          order: 1,
          values: [
            { key: 'k1', name: 'n1' },
            { key: 'k2', name: 'n2' },
          ],
        },
      ],
      endpoints: [{ formats: ['text/xml', 'application/json'] }],
    };
    const parsed = parser.parse(serialize({ root: 'service_definition', body }, 'xml')).service_definition;
    expect(parsed.attributes.attribute).toEqual({
      code: 'c',
      order: '1',
      values: {
        value: [
          { key: 'k1', name: 'n1' },
          { key: 'k2', name: 'n2' },
        ],
      },
    });
    expect(parsed.endpoints.endpoint.formats.format).toEqual(['text/xml', 'application/json']);
    expect(JSON.parse(serialize({ root: 'service_definition', body }, 'json'))).toEqual(body);
  });

  it('escapes markup and drops characters XML 1.0 cannot carry', () => {
    const items = [{ description: 'a < b & "c" </request>\u0001\u000b end' }];
    const xml = serialize({ root: 'service_requests', items }, 'xml');
    expect(xml).not.toContain('\u0001');
    expect(parser.parse(xml).service_requests.request.description).toBe('a < b & "c" </request> end');
  });

  it('refuses a list it has no item element for (a programming error)', () => {
    expect(() => serialize({ root: 'discovery', body: { things: ['a'] } }, 'xml')).toThrow(/things/);
  });
});
