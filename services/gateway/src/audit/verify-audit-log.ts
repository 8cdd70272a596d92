// `npm run audit:verify`: checks the audit log's hash chain straight from MongoDB (MONGO_URL, MONGO_DB as the
// gateway reads them), without the gateway running. Prints `ok` and the number of entries, or the first broken
// seq and why, and exits 1 when the chain is broken (2 when it could not be read).
import { PLATFORM_DEFAULTS, namespaced } from '@linli/platform';
import { MongoClient } from 'mongodb';
import { verifyChain } from './audit-chain.rules';
import { readEntries, readHeadSeq } from './audit-log.collections';

const SERVER_SELECTION_TIMEOUT_MS = 10_000;
/**
 * The gateway's database unless MONGO_DB says otherwise: GATEWAY_DEFAULTS.MONGO_DB, repeated because importing
 * ../config validates the whole gateway environment, which a command run by hand does not have.
 */
const DEFAULT_DB = 'linli-gateway';

async function main(): Promise<number> {
  const url = process.env.MONGO_URL || PLATFORM_DEFAULTS.MONGO_URL;
  const dbName = namespaced(process.env.MONGO_DB || DEFAULT_DB, '-');
  const client = new MongoClient(url, { serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS });
  try {
    await client.connect();
    const db = client.db(dbName);
    const verdict = await verifyChain((seqs) => readEntries(db, seqs), await readHeadSeq(db));
    if (verdict.ok) {
      process.stdout.write(`ok: ${verdict.entries} entries in ${dbName}\n`);
      return 0;
    }
    process.stdout.write(
      `broken at seq ${verdict.firstBrokenSeq}: ${verdict.reason} (${verdict.entries} entries sound before it)\n`,
    );
    return 1;
  } finally {
    await client.close();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`audit log not verified: ${error.message}\n`);
    process.exitCode = 2;
  },
);
