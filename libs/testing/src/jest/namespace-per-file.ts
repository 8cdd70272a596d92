// Runs before each test file of the services and of tests/e2e: a namespace of its own (LINLI_NAMESPACE), so its
// topics, consumer groups, databases and Bull keys are its alone even when another file runs at the same time
// against the same Kafka, MongoDB and Redis. Spawned service processes inherit it. Library tests name their own.
import { randomBytes } from 'node:crypto';

const testPath = expect.getState().testPath ?? '';
if (/[/\\](services|tests[/\\]e2e)[/\\]/.test(testPath)) {
  process.env.LINLI_NAMESPACE = `t${randomBytes(4).toString('hex')}`;
}
