// One look at the running platform: memory of every instance (RSS from /proc, heap from its /metrics), the lag of
// every consumer group, the outbox backlog of every service database, and the Bull queues' depth.
import { readFileSync } from 'node:fs';
import { PENDING_OUTBOX_FILTER } from '@linli/persistence';
import { consumerLag, withAdmin } from './kafka';
import { SERVICES, type LocalChaosPlatform } from './platform';

export interface InstanceSample {
  instance: string;
  pid?: number;
  rssMb?: number;
  heapUsedMb?: number;
}

export interface Sample {
  at: string;
  instances: InstanceSample[];
  lag: Record<string, number>;
  outbox: Record<string, number>;
  /** Bull jobs by `queue:state`, summed over instances (each reports the shared queue: the max is kept). */
  queues: Record<string, number>;
}

export function rssMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** `name{labels} value` lines of a Prometheus text exposition, for the names asked. */
export function metricValues(
  text: string,
  name: string,
): { labels: Record<string, string>; value: number }[] {
  const values: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key as string] = value as string;
    }
    values.push({ labels, value: Number(match[3]) });
  }
  return values;
}

async function metricsOf(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) });
    return response.ok ? await response.text() : undefined;
  } catch {
    return undefined;
  }
}

export async function outboxBacklog(platform: LocalChaosPlatform): Promise<Record<string, number>> {
  const backlog: Record<string, number> = {};
  for (const service of SERVICES) {
    const db = await platform.database(service);
    let pending = 0;
    for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
      pending += await db.collection(name).countDocuments(PENDING_OUTBOX_FILTER);
    }
    backlog[service] = pending;
  }
  return backlog;
}

export async function sample(platform: LocalChaosPlatform): Promise<Sample> {
  const instances: InstanceSample[] = [];
  const queues: Record<string, number> = {};
  for (const instance of platform.instances()) {
    const name = `${instance.service}-${instance.index}`;
    const text = instance.pid ? await metricsOf(instance.url) : undefined;
    const heap = text ? metricValues(text, 'nodejs_heap_size_used_bytes')[0]?.value : undefined;
    instances.push({
      instance: name,
      pid: instance.pid,
      rssMb: instance.pid ? rssMb(instance.pid) : undefined,
      heapUsedMb: heap === undefined ? undefined : heap / 2 ** 20,
    });
    for (const { labels, value } of text ? metricValues(text, 'linli_scheduling_queue_jobs') : []) {
      const key = `${labels['queue']}:${labels['state']}`;
      queues[key] = Math.max(queues[key] ?? 0, value);
    }
  }
  const lag = Object.fromEntries(
    (await withAdmin(platform.env, (admin) => consumerLag(admin, platform.namespace))).map((g) => [
      g.group,
      g.lag,
    ]),
  );
  return { at: new Date().toISOString(), instances, lag, outbox: await outboxBacklog(platform), queues };
}

/** One CSV line per instance and sample (the soak's file): time, instance, rss, heap, then the totals. */
export function csvLines(s: Sample): string[] {
  const lag = Object.values(s.lag).reduce((a, b) => a + b, 0);
  const outbox = Object.values(s.outbox).reduce((a, b) => a + b, 0);
  const fmt = (n?: number) => (n === undefined ? '' : n.toFixed(1));
  const bull = (state: string) =>
    Object.entries(s.queues)
      .filter(([key]) => key.endsWith(`:${state}`))
      .reduce((sum, [, n]) => sum + n, 0);
  const totalsCells = [lag, outbox, bull('waiting'), bull('delayed'), bull('failed')];
  return s.instances.map((i) =>
    [s.at, i.instance, fmt(i.rssMb), fmt(i.heapUsedMb), ...totalsCells].join(','),
  );
}

export const CSV_HEADER =
  'at,instance,rss_mb,heap_used_mb,total_lag,total_outbox,bull_waiting,bull_delayed,bull_failed';
