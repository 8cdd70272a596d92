// A redis-server of a test's own, on a free port, so FLUSHALL, a kill and a restart touch nobody else's queues:
// the tests that prove scheduled work survives the loss of Redis (libs/scheduling, elder-care, mediation).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { eventually } from './eventually';
import { freePort } from './service-process';

export class PrivateRedis {
  private process?: ChildProcess;

  private constructor(readonly port: number) {}

  /** Whether Debian's redis-server is on this machine (the suites that need one skip without it). */
  static installed(): boolean {
    try {
      execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (or starts again, after `kill`) the server on its port, empty: it keeps nothing on disk. */
  async start(): Promise<void> {
    this.process = spawn('redis-server', ['--port', String(this.port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await eventually(`redis-server on ${this.port}`, async () => {
      const probe = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG' ? true : undefined;
      } catch {
        return undefined;
      } finally {
        probe.disconnect();
      }
    });
  }

  async kill(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async command(...args: [string, ...string[]]): Promise<unknown> {
    const client = new Redis(this.url);
    try {
      return await client.call(...args);
    } finally {
      client.disconnect();
    }
  }

  flushAll(): Promise<unknown> {
    return this.command('FLUSHALL');
  }

  /** Bull job ids of a queue waiting in Redis (delayed or waiting), sorted. */
  async jobIds(queue: string): Promise<string[]> {
    const client = new Redis(this.url);
    try {
      const [delayedKey] = await client.keys(`*:${queue}:delayed`);
      const [waitKey] = await client.keys(`*:${queue}:wait`);
      const ids = [
        ...(delayedKey ? await client.zrange(delayedKey, 0, -1) : []),
        ...(waitKey ? await client.lrange(waitKey, 0, -1) : []),
      ];
      return ids.sort();
    } finally {
      client.disconnect();
    }
  }
}
