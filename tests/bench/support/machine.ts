// What every benchmark prints beside its figures: the machine it ran on (CPU, memory, Node, the stack's Kafka and
// mongo-java-server versions as deploy/local pins them) and the load average while it ran. The machine is shared
// (two cores, other engineers' suites), so a figure without the load it was taken under cannot be compared.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** The first match of `pattern` in a file under the repository, or '?' when the file or the match is missing. */
function pinned(file: string, pattern: RegExp): string {
  try {
    return pattern.exec(readFileSync(path.join(root, file), 'utf8'))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/** One line: CPU model and count, memory, Node, Kafka, mongo-java-server. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const kafka = pinned('deploy/local/kafka/pom.xml', /<kafka\.version>([^<]+)</);
  const mongo = pinned('deploy/local/mongo/pom.xml', /mongo-java-server[^<]*<\/artifactId><version>([^<]+)</);
  return (
    `machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node ${process.version}, Kafka ${kafka} (KRaft, one broker), mongo-java-server ${mongo} (H2)`
  );
}

const loadNow = (): number => os.loadavg()[0] as number;

/**
 * Samples the one-minute load average every 5 s from creation to `stop()`, which gives the line to print:
 * at the start, at the end, the mean and the highest sample.
 */
export function watchLoad(): { stop(): string } {
  const samples = [loadNow()];
  const timer = setInterval(() => samples.push(loadNow()), 5_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      samples.push(loadNow());
      const mean = samples.reduce((sum, x) => sum + x, 0) / samples.length;
      const f = (x: number) => x.toFixed(1);
      return (
        `load average (1 min) during the run: start ${f(samples[0] as number)}, end ${f(loadNow())}, ` +
        `mean ${f(mean)}, max ${f(Math.max(...samples))} (${os.cpus().length} cores)`
      );
    },
  };
}
