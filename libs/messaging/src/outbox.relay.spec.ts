import { idlePollDelay } from './relay-loop';

describe('the relay’s wait between polls', () => {
  it('is the poll interval while polls find work, and doubles per idle poll up to the cap', () => {
    expect(idlePollDelay(1000, 10_000, 0)).toBe(1000);
    expect(idlePollDelay(1000, 10_000, 1)).toBe(1000);
    expect(idlePollDelay(1000, 10_000, 2)).toBe(2000);
    expect(idlePollDelay(1000, 10_000, 3)).toBe(4000);
    expect(idlePollDelay(1000, 10_000, 4)).toBe(8000);
    expect(idlePollDelay(1000, 10_000, 5)).toBe(10_000);
    expect(idlePollDelay(1000, 10_000, 500)).toBe(10_000);
  });

  it('never waits less than the poll interval, even with a cap below it', () => {
    expect(idlePollDelay(60_000, 10_000, 3)).toBe(60_000);
  });
});
