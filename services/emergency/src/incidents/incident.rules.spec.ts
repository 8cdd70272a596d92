import {
  addedAreas,
  allWithin,
  jurisdictionOf,
  nextStatus,
  normaliseAreas,
  polygonErrors,
  removedAreas,
  transitionError,
} from './incident.rules';

const RING = [
  [118.78, 32.07],
  [118.8, 32.07],
  [118.8, 32.055],
  [118.78, 32.07],
];

describe('incident rules', () => {
  describe('jurisdictionOf', () => {
    it('is the longest administrative code that is a prefix of every area', () => {
      expect(jurisdictionOf(['320106001003'])).toBe('320106001003');
      expect(jurisdictionOf(['320106001003', '320106001001'])).toBe('320106001');
      expect(jurisdictionOf(['320106001003', '320106002001'])).toBe('320106');
      expect(jurisdictionOf(['320106001003', '320102'])).toBe('3201');
      expect(jurisdictionOf(['320106', '330102'])).toBe('');
    });

    it('stops at administrative lengths (not at any common prefix of digits)', () => {
      // 3201060010 is common to both but not a level: the street 320106001 is.
      expect(jurisdictionOf(['320106001003', '320106001004'])).toBe('320106001');
    });
  });

  describe('areas', () => {
    it('addedAreas lists the codes not covered before; a smaller code inside an old area is not new', () => {
      expect(addedAreas(['320106001'], ['320106001', '320106002'])).toEqual(['320106002']);
      expect(addedAreas(['320106001'], ['320106001003'])).toEqual([]);
      expect(addedAreas(['320106001003'], ['320106001'])).toEqual(['320106001']);
    });

    it('removedAreas lists the codes no longer covered', () => {
      expect(removedAreas(['320106001', '320106002'], ['320106001'])).toEqual(['320106002']);
      expect(removedAreas(['320106001003'], ['320106001'])).toEqual([]);
    });

    it('allWithin and normaliseAreas keep the larger of nested codes once', () => {
      expect(allWithin(['320106001003'], ['320106'])).toBe(true);
      expect(allWithin(['320102002001'], ['320106'])).toBe(false);
      expect(normaliseAreas(['320106001003', '320106001', '320106001', '320106002'])).toEqual([
        '320106001',
        '320106002',
      ]);
    });
  });

  describe('polygonErrors', () => {
    it('accepts a closed ring within the ranges', () => {
      expect(polygonErrors({ type: 'Polygon', coordinates: [RING] }, 100)).toEqual([]);
    });

    it('names an open ring, positions out of range, a wrong type, extra members and too many points', () => {
      const open = [...RING.slice(0, 3), [118.79, 32.06]];
      expect(polygonErrors({ type: 'Polygon', coordinates: [open] }, 100)).toEqual([
        { field: 'polygon.coordinates[0]', message: expect.stringContaining('not closed') },
      ]);
      const far = [
        [190, 32],
        [118, 95],
        [118, 32],
        [190, 32],
      ];
      const fields = polygonErrors({ type: 'Polygon', coordinates: [far] }, 100).map((e) => e.field);
      expect(fields).toEqual([
        'polygon.coordinates[0][0]',
        'polygon.coordinates[0][1]',
        'polygon.coordinates[0][3]',
      ]);
      expect(polygonErrors({ type: 'Point', coordinates: [RING] }, 100)[0].field).toBe('polygon.type');
      expect(polygonErrors({ type: 'Polygon', coordinates: [RING], bbox: [] }, 100)[0].field).toBe(
        'polygon.bbox',
      );
      expect(polygonErrors({ type: 'Polygon', coordinates: [RING] }, 3)).toEqual([
        { field: 'polygon.coordinates', message: 'the polygon has 4 points; at most 3' },
      ]);
      expect(
        polygonErrors(
          {
            type: 'Polygon',
            coordinates: [
              [
                [1, 2],
                [3, 4],
              ],
            ],
          },
          100,
        )[0].field,
      ).toBe('polygon.coordinates[0]');
      expect(
        polygonErrors(
          {
            type: 'Polygon',
            coordinates: [
              [
                [1, 'x'],
                [3, 4],
                [5, 6],
                [1, 'x'],
              ],
            ],
          },
          100,
        )[0].field,
      ).toBe('polygon.coordinates[0][0]');
      expect(polygonErrors('nope', 100)[0].field).toBe('polygon');
      expect(polygonErrors({ type: 'Polygon', coordinates: [] }, 100)[0].field).toBe('polygon.coordinates');
    });
  });

  describe('states', () => {
    it('declared → active → all-clear → closed, each move only from its states', () => {
      expect(transitionError('declared', 'activate')).toBeUndefined();
      expect(transitionError('active', 'activate')).toMatch(/active/);
      expect(transitionError('declared', 'all-clear')).toBeUndefined();
      expect(transitionError('active', 'all-clear')).toBeUndefined();
      expect(transitionError('all-clear', 'all-clear')).toMatch(/all-clear/);
      for (const status of ['declared', 'active', 'all-clear'] as const) {
        expect(transitionError(status, 'close')).toBeUndefined();
        expect(transitionError(status, 'update')).toBeUndefined();
        expect(transitionError(status, 'alert')).toBeUndefined();
      }
      for (const action of ['activate', 'all-clear', 'close', 'update', 'alert'] as const) {
        expect(transitionError('closed', action)).toMatch(/closed/);
      }
      expect(nextStatus('activate')).toBe('active');
      expect(nextStatus('all-clear')).toBe('all-clear');
      expect(nextStatus('close')).toBe('closed');
    });
  });
});
