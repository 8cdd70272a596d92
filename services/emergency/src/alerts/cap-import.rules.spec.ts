import { parseCapXml } from '../cap/cap.parser';
import { publishedExamples } from '../../test/cap-alerts';
import {
  administrativeGeocodes,
  capKey,
  fieldsOf,
  geoPolygonOf,
  kindOf,
  mainInfo,
  messageTypeOf,
  referencedKeys,
} from './cap-import.rules';

const DEFAULTS = {
  now: new Date('2026-07-01T00:00:00Z'),
  expiryMs: 3_600_000,
  acknowledgeWithinMs: 60_000,
  textMax: 5000,
};

describe('CAP import rules', () => {
  const examples = publishedExamples().map(({ name, xml }) => ({ name, cap: parseCapXml(xml) }));

  it('keys a CAP by sender and identifier; references name the keys of earlier messages', () => {
    expect(capKey('a@x', 'id-1')).toBe(capKey('a@x', 'id-1'));
    expect(capKey('a@x', 'id-1')).not.toBe(capKey('a@x', 'id-2'));
    expect(referencedKeys('a@x,id-1,2026-07-01T08:00:00+08:00 a@x,id-2,2026-07-01T09:00:00+08:00')).toEqual([
      capKey('a@x', 'id-1'),
      capKey('a@x', 'id-2'),
    ]);
    expect(referencedKeys(undefined)).toEqual([]);
    expect(referencedKeys('garbage')).toEqual([]);
  });

  it('maps each published example to an incident kind and alert fields within the contract limits', () => {
    for (const { cap } of examples) {
      const info = mainInfo(cap);
      const fields = fieldsOf(info, ['320106'], DEFAULTS);
      expect(fields.headline.length).toBeLessThanOrEqual(160);
      expect(fields.headline.length).toBeGreaterThan(0);
      expect(['immediate', 'expected', 'future', 'past', 'unknown']).toContain(fields.urgency);
      expect(['extreme', 'severe', 'moderate', 'minor', 'unknown']).toContain(fields.severity);
      expect(['zh-CN', 'en']).toContain(fields.language);
      expect(fields.areas).toEqual(['320106']);
      expect(typeof kindOf(info)).toBe('string');
      expect(['alert', 'update', 'cancel']).toContain(messageTypeOf(cap));
    }
    const bushfire = examples.find((e) => e.name.includes('bushfire'))!.cap;
    expect(kindOf(mainInfo(bushfire))).toBe('fire');
    const canada = examples.find((e) => e.name.includes('canada'))!.cap;
    expect(messageTypeOf(canada)).toBe('update');
  });

  it('reads our administrative geocodes only, once each', () => {
    const cap = examples[0].cap;
    const withOurs = {
      ...cap,
      info: [
        {
          ...cap.info[0],
          area: [
            {
              areaDesc: 'x',
              polygon: [],
              circle: [],
              geocode: [
                { valueName: 'GB/T 2260', value: '320106' },
                { valueName: 'SAME', value: '006113' },
                { valueName: 'GB/T 10114', value: '320106001003' },
                { valueName: 'GB/T 2260', value: '320106' },
              ],
            },
          ],
        },
      ],
    };
    expect(administrativeGeocodes(withOurs)).toEqual(['320106', '320106001003']);
    expect(administrativeGeocodes(cap)).toEqual([]);
  });

  it('a CAP without info keeps the alert’s current fields (a bare Cancel)', () => {
    const current = fieldsOf(mainInfo(examples[0].cap), ['320106'], DEFAULTS);
    expect(fieldsOf(undefined, ['320106001003'], DEFAULTS, current)).toEqual({
      ...current,
      areas: ['320106001003'],
    });
  });

  it('reads the first CAP polygon as a GeoJSON polygon ([lon, lat]), none when it is not a closed ring', () => {
    const info = mainInfo(examples[0].cap)!;
    const withPolygon = (polygon: string[]) => ({
      ...info,
      area: [{ areaDesc: 'x', polygon, circle: [], geocode: [] }],
    });
    expect(geoPolygonOf(withPolygon(['32.07,118.78 32.07,118.8 32.055,118.8 32.07,118.78']), 100)).toEqual({
      type: 'Polygon',
      coordinates: [
        [
          [118.78, 32.07],
          [118.8, 32.07],
          [118.8, 32.055],
          [118.78, 32.07],
        ],
      ],
    });
    expect(
      geoPolygonOf(withPolygon(['32.07,118.78 32.07,118.8 32.055,118.8 32.06,118.78']), 100),
    ).toBeUndefined();
    expect(
      geoPolygonOf(withPolygon(['32.07,118.78 32.07,118.8 32.055,118.8 32.07,118.78']), 3),
    ).toBeUndefined();
    expect(geoPolygonOf(withPolygon([]), 100)).toBeUndefined();
    expect(geoPolygonOf(undefined, 100)).toBeUndefined();
  });
});
