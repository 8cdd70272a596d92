// Waits until the local Kafka broker answers metadata requests: deploy/local/wait-kafka.js <broker> <seconds>.
const { Kafka, logLevel } = require('kafkajs');

const [broker = '127.0.0.1:9092', seconds = '90'] = process.argv.slice(2);
const deadline = Date.now() + Number(seconds) * 1000;

async function main() {
  for (;;) {
    const admin = new Kafka({
      brokers: [broker],
      clientId: 'linli-stack',
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.controller !== null && cluster.brokers.length > 0) return;
    } catch {
      // not ready yet
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`kafka at ${broker} not ready after ${seconds}s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
