// platform.sh's arithmetic, without starting anything (`platform.sh plan`): instance k of a service whose port is P
// listens on P + LINLI_PORT_OFFSET + 10*(k-1), and the gateway gets every instance's URL in <NAME>_URL.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = path.join(__dirname, '..', 'platform.sh');
let home: string;

beforeEach(() => (home = mkdtempSync(path.join(tmpdir(), 'linli-plan-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

function plan(
  env: Record<string, string>,
  ...args: string[]
): { instances: string[]; urls: Record<string, string> } {
  const { LINLI_SCALE: _scale, LINLI_PORT_OFFSET: _offset, ...inherited } = process.env;
  const output = execFileSync('bash', [script, 'plan', ...args], {
    env: { ...inherited, LINLI_STACK_DIR: home, ...env },
    encoding: 'utf8',
  });
  const lines = output.trim().split('\n');
  return {
    instances: lines
      .filter((line) => line.startsWith('instance '))
      .map((line) => line.slice('instance '.length)),
    urls: Object.fromEntries(
      lines
        .filter((line) => line.startsWith('env '))
        .map((line) => line.slice('env '.length).split('=') as [string, string]),
    ),
  };
}

function fails(env: Record<string, string>, ...args: string[]): string {
  try {
    execFileSync('bash', [script, 'plan', ...args], {
      env: { ...process.env, LINLI_STACK_DIR: home, ...env },
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (error) {
    return String((error as { stderr?: string }).stderr);
  }
  throw new Error('platform.sh plan did not fail');
}

it('one instance of each service on the ports of services.tsv by default', () => {
  const { instances, urls } = plan({});
  expect(instances).toContain('dispatch 1 3102');
  expect(instances).toContain('gateway 1 3100');
  expect(instances.filter((line) => line.startsWith('dispatch '))).toHaveLength(1);
  expect(urls['DISPATCH_URL']).toBe('http://127.0.0.1:3102');
});

it('LINLI_SCALE and LINLI_PORT_OFFSET: instance k on P + offset + 10*(k-1), all of them in the URL list', () => {
  const { instances, urls } = plan({
    LINLI_SCALE: 'dispatch=3 resident-requests=2',
    LINLI_PORT_OFFSET: '1000',
  });
  expect(instances.filter((line) => line.startsWith('dispatch '))).toEqual([
    'dispatch 1 4102',
    'dispatch 2 4112',
    'dispatch 3 4122',
  ]);
  expect(urls['DISPATCH_URL']).toBe('http://127.0.0.1:4102,http://127.0.0.1:4112,http://127.0.0.1:4122');
  expect(urls['RESIDENT_REQUESTS_URL']).toBe('http://127.0.0.1:4101,http://127.0.0.1:4111');
  expect(urls['ELDER_CARE_URL']).toBe('http://127.0.0.1:4103');
  // No two instances share a port.
  const ports = instances.map((line) => line.split(' ')[2]);
  expect(new Set(ports).size).toBe(ports.length);
});

it('--scale with commas is the same as LINLI_SCALE', () => {
  expect(plan({}, '--scale', 'dispatch=3,resident-requests=2')).toEqual(
    plan({ LINLI_SCALE: 'dispatch=3 resident-requests=2' }),
  );
});

it('without LINLI_SCALE, the scale the last `up` remembered (run/scale); LINLI_SCALE="" is one of each', () => {
  mkdirSync(path.join(home, 'run'));
  writeFileSync(path.join(home, 'run', 'scale'), 'dispatch=2\n');
  expect(plan({}).urls['DISPATCH_URL']).toBe('http://127.0.0.1:3102,http://127.0.0.1:3112');
  expect(plan({ LINLI_SCALE: '' }).urls['DISPATCH_URL']).toBe('http://127.0.0.1:3102');
});

it.each([
  ['no such service', { LINLI_SCALE: 'dispach=2' }, /no service 'dispach'/],
  ['not name=count', { LINLI_SCALE: 'dispatch:2' }, /'dispatch:2' is not name=count/],
  ['zero instances', { LINLI_SCALE: 'dispatch=0' }, /dispatch=0 \(from 1 to 89 instances\)/],
  ['an offset that is not a number', { LINLI_PORT_OFFSET: 'x' }, /LINLI_PORT_OFFSET must be a whole number/],
])('refuses %s', (_what, env, message) => {
  expect(fails(env)).toMatch(message);
});
