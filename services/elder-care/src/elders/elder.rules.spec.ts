import { chinaDate } from '@linli/platform';
import { ageOn, registrationProblems } from './elder.rules';

// Identity numbers, phones, masks and keyed hashes are @linli/platform's (libs/platform/src/china/*.spec.ts).
describe('elder rules', () => {
  describe('dates and age', () => {
    it('counts full years, the birthday itself included', () => {
      expect(ageOn('1964-06-15', '2024-06-14')).toBe(59);
      expect(ageOn('1964-06-15', '2024-06-15')).toBe(60);
      expect(ageOn('1964-02-29', '2024-02-28')).toBe(59);
      expect(ageOn('1964-02-29', '2024-02-29')).toBe(60);
    });

    it('takes the day in Asia/Shanghai', () => {
      expect(chinaDate(new Date('2024-06-14T15:59:59Z'))).toBe('2024-06-14');
      expect(chinaDate(new Date('2024-06-14T16:00:00Z'))).toBe('2024-06-15');
    });
  });

  describe('registration', () => {
    const context = { today: '2024-06-15', minAge: 60, covers: (code: string) => code.startsWith('320106') };

    it('checks the identity number against the birth date, the minimum age and the jurisdiction', () => {
      // The example of GB 11643-1999: 11010519491231002X (a woman born 1949-12-31).
      expect(
        registrationProblems(
          {
            identityNumber: '11010519491231002X',
            birthDate: '1949-12-31',
            gender: 'female',
            community: '320106001003',
          },
          context,
        ),
      ).toEqual([]);
      expect(
        registrationProblems(
          { identityNumber: '11010519491231002X', birthDate: '1970-01-01', community: '320102002001' },
          context,
        ).map((problem) => problem.field),
      ).toEqual(['identityNumber', 'birthDate', 'community']);
    });
  });
});
