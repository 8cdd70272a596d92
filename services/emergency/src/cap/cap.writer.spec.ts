import { platformAlert } from '../../test/cap-alerts';
import { CapAlert, toCapDateTime } from './cap.model';
import { CapWriteError, writeCapJson, writeCapXml } from './cap.writer';

describe('writeCapXml', () => {
  it('writes the alert in the CAP 1.2 namespace with an XML declaration and no DOCTYPE', () => {
    const xml = writeCapXml(platformAlert());
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">',
      ),
    ).toBe(true);
    expect(xml).not.toContain('<!DOCTYPE');
  });

  it('escapes text', () => {
    const alert = platformAlert();
    alert.info[0].headline = 'a < b & c > d';
    expect(writeCapXml(alert)).toContain('<headline>a &lt; b &amp; c &gt; d</headline>');
  });

  it('writes elements in the order the XSD demands, whatever the order of the model keys', () => {
    const { info, identifier, ...rest } = platformAlert();
    const shuffled = { info, ...rest, identifier } as CapAlert;
    const xml = writeCapXml(shuffled);
    const order = ['identifier', 'sender', 'sent', 'status', 'msgType', 'scope', 'code', 'incidents', 'info'];
    const positions = order.map((name) => xml.indexOf(`<${name}>`));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const infoOrder = [
      'language',
      'category',
      'event',
      'responseType',
      'urgency',
      'severity',
      'certainty',
      'audience',
    ];
    const infoPositions = infoOrder.map((name) => xml.indexOf(`<${name}>`));
    expect(infoPositions).toEqual([...infoPositions].sort((a, b) => a - b));
  });

  it('refuses a date-time in Z, naming the field', () => {
    const alert = { ...platformAlert(), sent: '2026-07-01T00:00:00Z' };
    expect(() => writeCapXml(alert)).toThrow(CapWriteError);
    expect(() => writeCapXml(alert)).toThrow(/^alert\.sent: /);
    const late = platformAlert();
    late.info[1].expires = new Date('2026-07-02T00:00:00Z').toISOString();
    expect(() => writeCapXml(late)).toThrow(/^alert\.info\[1\]\.expires: /);
  });

  it('refuses characters XML 1.0 cannot carry', () => {
    const alert = platformAlert();
    alert.info[0].description = 'bell \u0007';
    expect(() => writeCapXml(alert)).toThrow(/^alert\.info\[0\]\.description: /);
  });
});

describe('writeCapJson', () => {
  it('is the model itself, date-times as the same offset strings', () => {
    const json = writeCapJson(platformAlert());
    expect(json).toEqual(platformAlert());
    expect(JSON.stringify(json)).toContain('"sent":"2026-07-01T08:00:00+08:00"');
  });
});

describe('toCapDateTime', () => {
  it('writes an instant in +08:00 by default, to the second, never Z', () => {
    expect(toCapDateTime(new Date('2026-07-01T00:00:00.789Z'))).toBe('2026-07-01T08:00:00+08:00');
    expect(toCapDateTime(new Date('2026-06-30T20:30:00Z'))).toBe('2026-07-01T04:30:00+08:00');
  });

  it('writes other offsets, negative ones included', () => {
    expect(toCapDateTime(new Date('2026-07-01T00:00:00Z'), -300)).toBe('2026-06-30T19:00:00-05:00');
    expect(toCapDateTime(new Date('2026-07-01T00:00:00Z'), 0)).toBe('2026-07-01T00:00:00+00:00');
    expect(toCapDateTime(new Date('2026-07-01T00:00:00Z'), 345)).toBe('2026-07-01T05:45:00+05:45');
  });
});
