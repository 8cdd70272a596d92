import {
  boardCounts,
  holdsCheck,
  isInAreas,
  isVulnerable,
  isWelfareJobId,
  resultDecision,
  statusOfResult,
  welfareCheckIdOf,
  WelfareResultConflictError,
  withdrawsJobOnResult,
  type ElderProfile,
} from './welfare.rules';

const elder = (overrides: Partial<ElderProfile> = {}): ElderProfile => ({
  status: 'active',
  livingSituation: 'with-family',
  careLevel: 'self-care',
  hardship: [],
  ...overrides,
});

describe('isVulnerable', () => {
  it.each([
    ['living alone', elder({ livingSituation: 'alone' }), true],
    ['disabled', elder({ hardship: ['disabled'] }), true],
    ['fully dependent', elder({ careLevel: 'fully-dependent' }), true],
    ['disabled among other flags', elder({ hardship: ['low-income', 'disabled'] }), true],
    ['with family, self-care, no hardship', elder(), false],
    ['empty-nest only', elder({ livingSituation: 'empty-nest' }), false],
    ['partly dependent only', elder({ careLevel: 'partly-dependent' }), false],
    ['low-income only', elder({ hardship: ['low-income', 'special-hardship'] }), false],
    ['inactive though living alone', elder({ status: 'inactive', livingSituation: 'alone' }), false],
    [
      'inactive though fully dependent and disabled',
      elder({ status: 'inactive', careLevel: 'fully-dependent', hardship: ['disabled'] }),
      false,
    ],
  ])('%s → %s', (_name, profile, expected) => {
    expect(isVulnerable(profile)).toBe(expected);
  });
});

describe('isInAreas', () => {
  it.each([
    ['320106001003', ['320106001'], true],
    ['320106001003', ['320106001003'], true],
    ['320106001003', ['320106'], true],
    ['320106001003', ['320106002', '320106001003'], true],
    ['320106001003', ['320106002'], false],
    ['320102002001', ['320106'], false],
    ['320106001003', [], false],
  ])('%s in %j → %s', (community, areas, expected) => {
    expect(isInAreas(community, areas)).toBe(expected);
  });
});

describe('check ids', () => {
  it('one per person per incident, also the job id', () => {
    expect(welfareCheckIdOf('I20261129-000001', 'E000123')).toBe('I20261129-000001-W-E000123');
    expect(isWelfareJobId('I20261129-000001-W-E000123')).toBe(true);
  });

  it('other services’ jobs are not welfare checks', () => {
    expect(isWelfareJobId('C20261129-000001-M1')).toBe(false);
    expect(isWelfareJobId('V20261129-000001-J2')).toBe(false);
  });
});

describe('statusOfResult', () => {
  it.each([
    ['safe', 'checked-safe'],
    ['needs-help', 'needs-help'],
    ['unreachable', 'unreachable'],
  ] as const)('%s → %s', (result, status) => {
    expect(statusOfResult(result)).toBe(status);
  });
});

describe('holdsCheck', () => {
  it('the provider dispatch gave the job to holds it while accepted or completed', () => {
    expect(holdsCheck('P1', { providerId: 'P1', jobStatus: 'accepted' })).toBe(true);
    expect(holdsCheck('P1', { providerId: 'P1', jobStatus: 'completed' })).toBe(true);
  });

  it('another provider, nobody yet, or a cancelled job: not held', () => {
    expect(holdsCheck('P2', { providerId: 'P1', jobStatus: 'accepted' })).toBe(false);
    expect(holdsCheck('P1', { jobStatus: 'requested' })).toBe(false);
    expect(holdsCheck('P1', { providerId: 'P1', jobStatus: 'cancelled' })).toBe(false);
    expect(holdsCheck(undefined, { jobStatus: 'requested' })).toBe(false);
  });
});

describe('resultDecision', () => {
  const check = (status: 'pending' | 'checked-safe' | 'needs-help' | 'unreachable') => ({
    checkId: 'I1-W-E1',
    status,
    version: 3,
  });

  it('the first result is recorded, by anyone allowed', () => {
    expect(resultDecision(check('pending'), 'safe', false)).toBe('record');
    expect(resultDecision(check('pending'), 'unreachable', true)).toBe('record');
  });

  it('the same result again changes nothing', () => {
    expect(resultDecision(check('checked-safe'), 'safe', false)).toBe('unchanged');
    expect(resultDecision(check('needs-help'), 'needs-help', true)).toBe('unchanged');
  });

  it('a different result: 409 for a provider, recorded for a coordinator', () => {
    expect(() => resultDecision(check('checked-safe'), 'needs-help', false)).toThrow(
      WelfareResultConflictError,
    );
    expect(resultDecision(check('unreachable'), 'safe', true)).toBe('record');
  });
});

describe('boardCounts', () => {
  it('names every status, zero when absent', () => {
    expect(
      boardCounts(
        new Map([
          ['pending', 3],
          ['checked-safe', 2],
        ]),
      ),
    ).toEqual({ pending: 3, checkedSafe: 2, needsHelp: 0, unreachable: 0 });
  });
});

describe('withdrawsJobOnResult', () => {
  const open = { jobStatus: 'requested' as const, withdrawn: false };

  it('staff finding the person safe withdraw a job still open', () => {
    expect(withdrawsJobOnResult('safe', false, open)).toBe(true);
    expect(withdrawsJobOnResult('safe', false, { jobStatus: 'accepted', withdrawn: false })).toBe(true);
    expect(withdrawsJobOnResult('safe', false, { jobStatus: 'escalated', withdrawn: false })).toBe(true);
  });

  it('needs-help or unreachable keep the job: someone should go', () => {
    expect(withdrawsJobOnResult('needs-help', false, open)).toBe(false);
    expect(withdrawsJobOnResult('unreachable', false, open)).toBe(false);
  });

  it('the holder’s result, a job already over or already withdrawn: no withdrawal', () => {
    expect(withdrawsJobOnResult('safe', true, open)).toBe(false);
    expect(withdrawsJobOnResult('safe', false, { jobStatus: 'completed', withdrawn: false })).toBe(false);
    expect(withdrawsJobOnResult('safe', false, { jobStatus: 'cancelled', withdrawn: false })).toBe(false);
    expect(withdrawsJobOnResult('safe', false, { jobStatus: 'requested', withdrawn: true })).toBe(false);
  });
});
