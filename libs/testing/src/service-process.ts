// Starts a service the way production does, as its own Node.js process, and waits until it says it is ready.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repositoryRoot } from './infrastructure';

export interface ServiceProcess {
  name: string;
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the process wrote, for a failing test to show. */
  output(): string;
  /** SIGTERM and wait: the graceful path. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: the crash path. */
  kill(): Promise<void>;
}

export interface StartServiceOptions {
  /** `services/<name>/src/main.ts`, or give `entry` for anything else (a fixture). */
  name: string;
  entry?: string;
  env?: NodeJS.ProcessEnv;
  port?: number;
  /** Path polled until it answers 200; default /health/ready. */
  readyPath?: string;
  readyTimeoutMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startService(options: StartServiceOptions): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const entry = options.entry ?? path.join(repositoryRoot, 'services', options.name, 'src/main.ts');
  let output = '';
  const orphanGuard = path.join(__dirname, 'orphan-guard.js');
  const child = spawn(process.execPath, ['-r', orphanGuard, '-r', '@swc-node/register', entry], {
    cwd: repositoryRoot,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(repositoryRoot, 'tsconfig.base.json'),
      SERVICE_NAME: options.name,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // LINLI_SERVICE_LOG_DIR keeps every service's log after the test (CI sets it): a rare 500 in a long run can then
  // be read afterwards, where `output()` is gone with the test process.
  const logDir = process.env.LINLI_SERVICE_LOG_DIR;
  if (logDir) {
    mkdirSync(logDir, { recursive: true });
    const file = createWriteStream(path.join(logDir, `${options.name}-${port}.log`), { flags: 'a' });
    child.stdout.pipe(file, { end: false });
    child.stderr.pipe(file, { end: false });
    child.once('exit', () => file.end());
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A test runner that exits (or is force-exited) must not leave services behind, consuming and scheduling.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    name: options.name,
    url,
    port,
    process: child,
    output: () => output,
    stop: async (timeoutMs = 30_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };

  const readyPath = options.readyPath ?? '/health/ready';
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${options.name} exited with code ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(url + readyPath);
      if (response.ok) return service;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await service.kill();
      throw new Error(`${options.name} was not ready at ${url}${readyPath} in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
