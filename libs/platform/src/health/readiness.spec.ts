import { runReadinessChecks } from './readiness';

const TIMEOUT_MS = 50;

describe('runReadinessChecks', () => {
  it('is ready with no checks registered', async () => {
    expect(await runReadinessChecks([], TIMEOUT_MS)).toEqual({ status: 'ready', checks: [] });
  });

  it('is ready when every check resolves', async () => {
    const report = await runReadinessChecks(
      [
        { name: 'mongodb', check: async () => undefined },
        { name: 'redis', check: () => undefined },
      ],
      TIMEOUT_MS,
    );
    expect(report.status).toBe('ready');
    expect(report.checks.map((check) => [check.name, check.status])).toEqual([
      ['mongodb', 'up'],
      ['redis', 'up'],
    ]);
  });

  it.each([
    ['rejects', { name: 'kafka', check: () => Promise.reject(new Error('no brokers')) }, 'no brokers'],
    [
      'throws synchronously',
      {
        name: 'kafka',
        check: () => {
          throw new Error('consumer crashed');
        },
      },
      'consumer crashed',
    ],
    [
      'never settles',
      { name: 'kafka', check: () => new Promise<void>(() => undefined) },
      `timed out after ${TIMEOUT_MS} ms`,
    ],
  ])('is not ready when a check %s, and says why', async (_case, failing, reason) => {
    const report = await runReadinessChecks(
      [{ name: 'mongodb', check: () => undefined }, failing],
      TIMEOUT_MS,
    );
    expect(report.status).toBe('not-ready');
    expect(report.checks).toEqual([
      expect.objectContaining({ name: 'mongodb', status: 'up' }),
      expect.objectContaining({ name: 'kafka', status: 'down', error: reason }),
    ]);
  });
});
