// How the runner takes a part from its module (a fresh one per scenario) and puts the parts' env together.
import { partFrom, partsEnv } from './support/parts';
import type { LoadPart } from './support/types';

const part = (name: string, env: Record<string, string> = {}): LoadPart => ({
  name,
  env,
  prepare: async () => undefined,
  play: async () => undefined,
  finish: async () => undefined,
  check: async () => ({ part: name, expected: 0, final: 0, lost: [], duplicated: [], notes: [] }),
  probe: async () => undefined,
});

describe('partFrom', () => {
  it('calls a factory, so each scenario gets a part with an empty ledger', () => {
    const ready = part('ready');
    const module = { ticketsPart: () => part('tickets'), tickets: ready, default: ready };
    const first = partFrom(module, 'tickets');
    expect(first.name).toBe('tickets');
    expect(partFrom(module, 'tickets')).not.toBe(first);
  });

  it('constructs a class implementing LoadPart', () => {
    class CasesPart {
      name = 'cases';
      env = {};
      async prepare() {}
      async play() {}
      async finish() {}
      async check() {
        return { part: 'cases', expected: 0, final: 0, lost: [], duplicated: [], notes: [] };
      }
      async probe() {}
    }
    expect(partFrom({ CasesPart, casesPart: new CasesPart() }, 'cases')).toBeInstanceOf(CasesPart);
  });

  it('takes a ready object when there is nothing else, and refuses a module without a part', () => {
    expect(partFrom({ alerts: part('alerts') }, 'alerts').name).toBe('alerts');
    expect(() => partFrom({ helper: () => 1 }, 'x')).toThrow(/no LoadPart/);
  });
});

describe('partsEnv', () => {
  it('merges the parts env and names a variable two parts set differently', () => {
    const { env, conflicts } = partsEnv([
      part('tickets', { CALLBACK_DELAY_MS: '4000', OFFER_TIMEOUT_MS: '8000' }),
      part('cases', { CALLBACK_DELAY_MS: '2000', FOLLOW_UP_AFTER_MS: '4000' }),
    ]);
    expect(env).toEqual({ CALLBACK_DELAY_MS: '2000', OFFER_TIMEOUT_MS: '8000', FOLLOW_UP_AFTER_MS: '4000' });
    expect(conflicts).toEqual(['CALLBACK_DELAY_MS: 4000 then 2000 (cases)']);
  });
});
