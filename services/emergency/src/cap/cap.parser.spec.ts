import { platformAlert, publishedExamples } from '../../test/cap-alerts';
import { CAP_DEFAULT_MAX_BYTES, CapParseError, parseCapXml } from './cap.parser';
import { writeCapXml } from './cap.writer';

function refusal(xml: string | Buffer, options?: { maxBytes?: number }): CapParseError {
  try {
    parseCapXml(xml, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CapParseError);
    return error as CapParseError;
  }
  throw new Error('the input was accepted');
}

const valid = (): string => writeCapXml(platformAlert());

describe('parseCapXml', () => {
  it('reads a cap:-prefixed alert (the Australian bushfire) with its info, resources and areas', () => {
    const xml = publishedExamples().find((e) => e.name === 'example-australia-bushfire.xml')!.xml;
    const alert = parseCapXml(xml);
    expect(alert).toMatchObject({
      identifier: 'tag:www.rfs.nsw.gov.au2011-10-06:40184',
      sent: '2011-10-05T23:04:00+10:00',
      status: 'Actual',
      msgType: 'Alert',
      code: ['urn:oasis:names:tc:emergency:cap:1.2:profile:CAP-AU:1.0'],
    });
    expect(alert.info[0]).toMatchObject({ language: 'en-AU', category: ['Fire', 'Met'] });
    expect(alert.info.flatMap((i) => i.area).length).toBeGreaterThan(0);
  });

  it('reads the Canadian Update with its references and empty restriction, addresses and note', () => {
    const xml = publishedExamples().find((e) => e.name === 'example-canada-weather.xml')!.xml;
    const alert = parseCapXml(xml);
    expect(alert.msgType).toBe('Update');
    expect(alert.references).toContain('cap@ec.gc.ca,2.49.0.1.124.a3f342a4.2012,2012-05-02T21:45:05-00:00');
    expect(alert).toMatchObject({ restriction: '', addresses: '', note: '' });
    expect(alert.info.map((i) => i.language)).toEqual(expect.arrayContaining(['en-CA', 'fr-CA']));
  });

  it('gives an info block without <language> the XSD default en-US', () => {
    const xml = publishedExamples().find((e) => e.name === 'example-homeland-security.xml')!.xml;
    expect(parseCapXml(xml).info[0].language).toBe('en-US');
  });

  it('decodes the five XML entities, character references and CDATA, and reads a Buffer as UTF-8', () => {
    const xml = valid()
      .replace(
        /<headline>[^<]*<\/headline>/,
        '<headline>A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos; &#x53F0;&#39118;</headline>',
      )
      .replace(
        /<description>[^<]*<\/description>/,
        '<description><![CDATA[<raw> &amp; kept]]></description>',
      );
    const info = parseCapXml(Buffer.from(xml, 'utf8')).info[0];
    expect(info.headline).toBe('A & B <c> "d" \'e\' 台风');
    expect(info.description).toBe('<raw> &amp; kept');
  });

  it('ignores elements of other namespaces (an xmldsig Signature after the info blocks)', () => {
    const xml = valid().replace(
      '</alert>',
      '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo/></Signature></alert>',
    );
    expect(parseCapXml(xml)).toEqual(platformAlert());
  });

  describe('refuses, naming the field', () => {
    it.each([
      ['plain text', 'this is not xml'],
      ['an empty body', ''],
      ['unclosed elements', '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</alert>'],
      ['JSON', '{"identifier":"x"}'],
    ])('%s: not XML', (_k, xml) => {
      const error = refusal(xml);
      expect(error.field).toBe('document');
      expect(error.message).toMatch(/not (well-formed )?XML|empty/);
    });

    it('a CAP 1.1 document: wrong namespace', () => {
      const xml = valid().replace(
        'urn:oasis:names:tc:emergency:cap:1.2',
        'urn:oasis:names:tc:emergency:cap:1.1',
      );
      const error = refusal(xml);
      expect(error.field).toBe('alert');
      expect(error.message).toContain('wrong namespace');
      expect(error.message).toContain('urn:oasis:names:tc:emergency:cap:1.1');
    });

    it('an alert in no namespace: wrong namespace', () => {
      const error = refusal(valid().replace(' xmlns="urn:oasis:names:tc:emergency:cap:1.2"', ''));
      expect(error.field).toBe('alert');
      expect(error.message).toContain('no namespace');
    });

    it('a root that is not <alert>', () => {
      const error = refusal('<feed xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>');
      expect(error.field).toBe('alert');
      expect(error.message).toContain('<feed>');
    });

    it.each([
      ['identifier', /<identifier>[^<]*<\/identifier>/, 'alert.identifier'],
      ['sent', /<sent>[^<]*<\/sent>/, 'alert.sent'],
      ['info.event', /<event>[^<]*<\/event>/, 'alert.info[0].event'],
      ['area.areaDesc', /<areaDesc>[^<]*<\/areaDesc>/, 'alert.info[0].area[0].areaDesc'],
      ['info.category', /<category>[^<]*<\/category>/g, 'alert.info[0].category'],
    ])('missing %s', (_k, pattern, field) => {
      const error = refusal(valid().replace(pattern, ''));
      expect(error.field).toBe(field);
      expect(error.message).toContain('is required');
    });

    it('an empty identifier, as missing', () => {
      expect(refusal(valid().replace(/<identifier>[^<]*</, '<identifier><')).field).toBe('alert.identifier');
    });

    it('a bad urgency, listing the allowed values', () => {
      const error = refusal(valid().replace('<urgency>Immediate</urgency>', '<urgency>Now</urgency>'));
      expect(error.field).toBe('alert.info[0].urgency');
      expect(error.message).toContain('"Now" is not one of Immediate, Expected, Future, Past, Unknown');
    });

    it.each([
      ['status', '<status>Actual</status>', '<status>Real</status>', 'alert.status'],
      ['msgType', '<msgType>Alert</msgType>', '<msgType>Warning</msgType>', 'alert.msgType'],
      ['category', '<category>Met</category>', '<category>Weather</category>', 'alert.info[0].category[0]'],
      [
        'responseType',
        '<responseType>Shelter</responseType>',
        '<responseType>Run</responseType>',
        'alert.info[0].responseType[0]',
      ],
    ])('a bad %s', (_k, from, to, field) => {
      expect(refusal(valid().replace(from, to)).field).toBe(field);
    });

    it.each([
      ['Z (UTC written as Z: the CAP 1.2 XSD demands a numeric offset)', '2026-07-01T00:00:00Z'],
      ['fractional seconds', '2026-07-01T08:00:00.5+08:00'],
      ['no offset', '2026-07-01T08:00:00'],
      ['a month 13', '2026-13-01T08:00:00+08:00'],
      ['31 June', '2026-06-31T08:00:00+08:00'],
      ['an offset beyond 14:00', '2026-07-01T08:00:00+14:30'],
    ])('a date-time with %s', (_k, value) => {
      const error = refusal(
        valid().replace('<sent>2026-07-01T08:00:00+08:00</sent>', `<sent>${value}</sent>`),
      );
      expect(error.field).toBe('alert.sent');
      expect(error.message).toContain('numeric offset such as +08:00');
    });

    it('a bad expires in the second info block', () => {
      const xml = valid().replace(/(<info>[\s\S]*?<\/info>[\s\S]*?<expires>)[^<]*/, '$12026-07-02 08:00');
      expect(refusal(xml).field).toBe('alert.info[1].expires');
    });

    it('an element that must occur once occurring twice', () => {
      const error = refusal(valid().replace(/(<sender>[^<]*<\/sender>)/, '$1$1'));
      expect(error.field).toBe('alert.sender');
      expect(error.message).toContain('only once');
    });

    it('an element CAP 1.2 does not have', () => {
      const error = refusal(
        valid().replace('<scope>Public</scope>', '<scope>Public</scope><priority>1</priority>'),
      );
      expect(error.field).toBe('alert.priority');
    });

    it('an undeclared entity reference', () => {
      const error = refusal(valid().replace(/<headline>[^<]*</, '<headline>&nbsp;<'));
      expect(error.field).toBe('alert.info[0].headline');
      expect(error.message).toContain('&nbsp;');
    });

    it('a non-numeric altitude', () => {
      const xml = valid().replace(/(<\/geocode>)(\s*<\/area>)/, '$1<altitude>high</altitude>$2');
      expect(refusal(xml).field).toBe('alert.info[0].area[0].altitude');
    });

    it('an XML bomb (billion laughs), before parsing and without expanding anything', () => {
      const lol = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE lolz [',
        ' <!ENTITY lol "lol">',
        ...Array.from({ length: 9 }, (_, i) => {
          const prev = i === 0 ? 'lol' : `lol${i}`;
          return ` <!ENTITY lol${i + 1} "${`&${prev};`.repeat(10)}">`;
        }),
        ']>',
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol9;</identifier></alert>',
      ].join('\n');
      const error = refusal(lol);
      expect(error.field).toBe('document');
      expect(error.message).toContain('DOCTYPE and ENTITY declarations are not accepted');
    });

    it('an external entity (file:///etc/passwd), never read', () => {
      const xxe =
        '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&xxe;</identifier></alert>';
      const error = refusal(xxe);
      expect(error.field).toBe('document');
      expect(error.message).not.toContain('root:');
      expect(error.message).toContain('DOCTYPE and ENTITY declarations are not accepted');
    });

    it('a lone ENTITY declaration in lower case', () => {
      expect(refusal(`<!entity x "y">${valid()}`).field).toBe('document');
    });

    it('elements nested deeper than the reader allows (100 levels)', () => {
      const ns = 'urn:oasis:names:tc:emergency:cap:1.2';
      const error = refusal(`<alert xmlns="${ns}">${'<info>'.repeat(500)}${'</info>'.repeat(500)}</alert>`);
      expect(error.field).toBe('document');
      expect(error.message).toContain('nested');
    });

    it('an element named __proto__', () => {
      const ns = 'urn:oasis:names:tc:emergency:cap:1.2';
      expect(refusal(`<alert xmlns="${ns}"><__proto__>1</__proto__></alert>`).field).toBe('document');
    });

    it('an input over the size limit (default 1 MiB, configurable), unread', () => {
      const padded = valid().replace('<scope>', `<note>${'x'.repeat(CAP_DEFAULT_MAX_BYTES)}</note><scope>`);
      const error = refusal(padded);
      expect(error.field).toBe('document');
      expect(error.message).toContain(`at most ${CAP_DEFAULT_MAX_BYTES}`);
      expect(refusal(valid(), { maxBytes: 100 }).message).toContain('at most 100');
      expect(() => parseCapXml(valid(), { maxBytes: 64 * 1024 })).not.toThrow();
    });
  });
});
