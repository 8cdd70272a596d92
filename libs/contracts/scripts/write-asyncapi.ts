// Writes libs/contracts/asyncapi.yaml from the event definitions (npm run asyncapi); check the result in.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAsyncApiYaml } from '../src/asyncapi';

const ASYNCAPI_FILE = join(__dirname, '..', 'asyncapi.yaml');

writeFileSync(ASYNCAPI_FILE, renderAsyncApiYaml());
process.stdout.write(`wrote ${ASYNCAPI_FILE}\n`);
