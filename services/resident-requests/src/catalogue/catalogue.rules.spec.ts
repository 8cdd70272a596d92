import { CATEGORIES } from '@linli/contracts';
import { catalogueProblems, assertValidCatalogue, InvalidCatalogueError } from './catalogue.rules';
import type { CategoryDefinition } from './catalogue.types';
import { CATEGORY_DATA } from './categories.data';

const repair = CATEGORY_DATA.find((c) => c.code === 'repair') as CategoryDefinition;
const withRepair = (change: Partial<CategoryDefinition>) =>
  CATEGORY_DATA.map((c) => (c.code === 'repair' ? { ...c, ...change } : c));

describe('the category catalogue', () => {
  it('is valid: every contract category once, with routing, skill, priority, service levels and call-back', () => {
    expect(catalogueProblems(CATEGORY_DATA)).toEqual([]);
    expect(CATEGORY_DATA.map((c) => c.code).sort()).toEqual([...CATEGORIES].sort());
  });

  it('routes disputes to mediation and emergencies and public safety to emergency, the rest to dispatch', () => {
    const routing = Object.fromEntries(CATEGORY_DATA.map((c) => [c.code, c.routing]));
    expect(routing).toMatchObject({
      dispute: 'mediation',
      emergency: 'emergency',
      'public-safety': 'emergency',
      repair: 'dispatch',
      sanitation: 'dispatch',
      'elder-care': 'dispatch',
    });
  });

  it('keeps the hotline norms as defaults: 2 h danger, 24 h utilities, 7 days general, 15 days complex', () => {
    const hour = 3_600_000;
    expect(repair.serviceLevels.danger.resolveWithinMs).toBe(2 * hour);
    expect(repair.serviceLevels.utilities.resolveWithinMs).toBe(24 * hour);
    expect(repair.serviceLevels.general.resolveWithinMs).toBe(7 * 24 * hour);
    expect(repair.serviceLevels.complex.resolveWithinMs).toBe(15 * 24 * hour);
    expect(repair.serviceLevels.general.acceptWithinMs).toBe(2 * hour);
    expect(repair.callbackDelayMs).toBe(24 * hour);
  });

  const broken: [string, readonly CategoryDefinition[], RegExp][] = [
    ['a missing category', CATEGORY_DATA.filter((c) => c.code !== 'repair'), /repair is missing/],
    ['a category listed twice', [...CATEGORY_DATA, repair], /listed twice/],
    ['an unknown route', withRepair({ routing: 'nowhere' as never }), /routes to nowhere/],
    ['a skill that is not a slug', withRepair({ skill: 'Plumbing Work' }), /not a slug/],
    ['a wrong service class', withRepair({ serviceClass: 'safety' }), /contracts group it under convenience/],
    ['an unknown priority', withRepair({ defaultPriority: 'whenever' as never }), /unknown default priority/],
    [
      'accept later than resolve',
      withRepair({
        serviceLevels: { ...repair.serviceLevels, general: { acceptWithinMs: 10, resolveWithinMs: 5 } },
      }),
      /accepted no later than/,
    ],
    [
      'danger slower than utilities',
      withRepair({
        serviceLevels: { ...repair.serviceLevels, danger: { acceptWithinMs: 1, resolveWithinMs: 9e12 } },
      }),
      /danger gets more time/,
    ],
    ['no call-back delay', withRepair({ callbackDelayMs: 0 }), /call-back delay/],
    ['an empty name', withRepair({ name: { zh: '', en: 'Repairs' } }), /name in zh and en/],
  ];

  it.each(broken)('refuses %s at start-up', (_, table, problem) => {
    expect(catalogueProblems(table).join('\n')).toMatch(problem);
    expect(() => assertValidCatalogue(table)).toThrow(InvalidCatalogueError);
  });
});
