// The chain's append against the real MongoDB-wire server, without the services: two gateway instances (two
// repositories on their own connections) appending at once get one unbroken chain with every record once; a head
// left behind by a crash between an entry's insert and the head's move, and an auditId claimed by an append that
// never wrote its entry, are both mended by the next append.
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { verifyChain } from '../src/audit/audit-chain.rules';
import {
  AUDIT_ENTRIES_COLLECTION,
  AUDIT_HEAD_COLLECTION,
  AUDIT_IDS_COLLECTION,
  HEAD_ID,
} from '../src/audit/audit-log.collections';
import { AuditLogRepository, type AuditRecordData } from '../src/audit/audit-log.repository';

const PER_INSTANCE = 40;

let first: Connection;
let second: Connection;
let one: AuditLogRepository;
let two: AuditLogRepository;

const record = (): AuditRecordData => ({
  auditId: randomUUID(),
  service: 'resident-requests',
  at: new Date().toISOString(),
  jurisdiction: '320106',
  actorId: 'op-1',
  actorRoles: ['operator'],
  action: 'resource.changed',
  outcome: 'allowed',
});

async function verdict() {
  const head = await first.collection(AUDIT_HEAD_COLLECTION).findOne({ _id: HEAD_ID as never });
  return verifyChain((seqs) => one.readEntries(seqs), (head?.seq as number | undefined) ?? 0);
}

beforeAll(async () => {
  const dbName = `${process.env.LINLI_NAMESPACE ?? 'audit-chain'}-linli-gateway`;
  const url = process.env.MONGO_URL as string;
  [first, second] = await Promise.all([
    mongoose.createConnection(url, { dbName }).asPromise(),
    mongoose.createConnection(url, { dbName }).asPromise(),
  ]);
  one = new AuditLogRepository(first);
  two = new AuditLogRepository(second);
});

afterAll(async () => {
  await first?.dropDatabase();
  await Promise.all([first?.close(), second?.close()]);
});

describe('appending to the audit chain', () => {
  it('gives two instances appending at once one unbroken chain, each record once', async () => {
    const records = Array.from({ length: 2 * PER_INSTANCE }, record);
    const results = await Promise.all(
      records.map((data, index) => (index % 2 === 0 ? one : two).append(data)),
    );
    expect(results.every((result) => result.appended)).toBe(true);
    expect(new Set(results.map((result) => result.seq)).size).toBe(records.length);
    expect(await verdict()).toEqual({ ok: true, entries: records.length });

    // Delivered again, to either instance: not appended.
    const again = await Promise.all([one.append(records[0]), two.append(records[1])]);
    expect(again.map((result) => result.appended)).toEqual([false, false]);
    expect(again.map((result) => result.seq)).toEqual([results[0].seq, results[1].seq]);
    expect(await verdict()).toEqual({ ok: true, entries: records.length });
  });

  it('mends a head left one entry behind and a claim whose entry was never written', async () => {
    const head = first.collection(AUDIT_HEAD_COLLECTION);
    const before = await head.findOne({ _id: HEAD_ID as never });
    // A crash after the entry's insert, before the head's move: put the head back one entry.
    const last = await first.collection(AUDIT_ENTRIES_COLLECTION).findOne({ _id: before?.seq as never });
    await head.updateOne(
      { _id: HEAD_ID as never },
      { $set: { seq: (before?.seq as number) - 1, hash: last?.prevHash } },
    );
    // A crash after the claim, before the entry: the auditId claimed for a seq that holds another record.
    const orphan = record();
    await first.collection(AUDIT_IDS_COLLECTION).insertOne({ _id: orphan.auditId as never, seq: 1 });

    const mended = await two.append(orphan);
    expect(mended).toEqual({ seq: (before?.seq as number) + 1, appended: true });
    expect(await verdict()).toEqual({ ok: true, entries: (before?.seq as number) + 1 });
  });
});
