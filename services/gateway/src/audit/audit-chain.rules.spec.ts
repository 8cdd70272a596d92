import {
  GENESIS_HASH,
  canonicalJson,
  entryHash,
  verifyChain,
  type ChainEntry,
  type EntryReader,
} from './audit-chain.rules';

const record = (n: number) => ({
  auditId: `a-${n}`,
  service: 'resident-requests',
  at: `2026-11-29T08:00:0${n % 10}.000Z`,
  jurisdiction: '320106',
  actorId: 'op-1',
  actorRoles: ['operator'],
  action: 'resource.changed',
  outcome: 'allowed',
  resource: { service: 'resident-requests', type: 'ticket', id: `T-${n}` },
});

function chain(length: number): ChainEntry[] {
  const entries: ChainEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const entry = { _id: seq, prevHash, hash: entryHash(prevHash, record(seq), seq), record: record(seq) };
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

const reader =
  (entries: ChainEntry[]): EntryReader =>
  async (seqs) =>
    entries.filter((entry) => seqs.includes(entry._id));

describe('canonical JSON', () => {
  it('sorts keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 'x' }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":"x","z":1}]},"b":1}',
    );
  });

  it('gives the same text for the same record whatever the order of its keys', () => {
    const { auditId, ...rest } = record(1);
    expect(canonicalJson({ ...rest, auditId })).toBe(canonicalJson(record(1)));
  });

  it('hashes prevHash, record and seq together: any of them changed, another hash', () => {
    const hash = entryHash(GENESIS_HASH, record(1), 1);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS_HASH, record(1), 2)).not.toBe(hash);
    expect(entryHash('1'.repeat(64), record(1), 1)).not.toBe(hash);
    expect(entryHash(GENESIS_HASH, { ...record(1), actorId: 'op-2' }, 1)).not.toBe(hash);
  });
});

describe('verifying the chain', () => {
  it('finds a sound chain sound, across batches', async () => {
    const entries = chain(12);
    expect(await verifyChain(reader(entries), 12, 5)).toEqual({ ok: true, entries: 12 });
    expect(await verifyChain(reader([]), 0)).toEqual({ ok: true, entries: 0 });
  });

  it('checks an entry past a head left behind by a crash', async () => {
    expect(await verifyChain(reader(chain(4)), 3)).toEqual({ ok: true, entries: 4 });
  });

  it('finds a changed field at its entry', async () => {
    const entries = chain(6);
    entries[3] = { ...entries[3], record: { ...record(4), actorId: 'someone-else' } } as ChainEntry;
    expect(await verifyChain(reader(entries), 6)).toMatchObject({
      ok: false,
      entries: 3,
      firstBrokenSeq: 4,
      reason: expect.stringMatching(/record was changed/),
    });
  });

  it('finds a changed record whose hash was recomputed at the entry after it', async () => {
    const entries = chain(6);
    const forged = { ...record(4), actorId: 'someone-else' };
    entries[3] = { ...entries[3], record: forged, hash: entryHash(entries[3].prevHash, forged, 4) };
    expect(await verifyChain(reader(entries), 6)).toMatchObject({ ok: false, firstBrokenSeq: 5 });
  });

  it('finds a deleted entry, in the middle or at the end', async () => {
    const entries = chain(6);
    expect(await verifyChain(reader(entries.filter((e) => e._id !== 3)), 6)).toMatchObject({
      ok: false,
      firstBrokenSeq: 3,
      reason: expect.stringMatching(/missing/),
    });
    expect(await verifyChain(reader(entries.slice(0, 5)), 6)).toMatchObject({ ok: false, firstBrokenSeq: 6 });
  });

  it('finds a deleted entry whose successors were renumbered to close the gap', async () => {
    const entries = chain(6).filter((e) => e._id !== 3);
    const renumbered = entries.map((entry, index) => ({ ...entry, _id: index + 1 }));
    expect(await verifyChain(reader(renumbered), 5)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('finds two entries swapped', async () => {
    const entries = chain(6);
    const swapped = entries.map((entry) =>
      entry._id === 2 ? { ...entries[2], _id: 2 } : entry._id === 3 ? { ...entries[1], _id: 3 } : entry,
    );
    expect(await verifyChain(reader(swapped), 6)).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
      reason: expect.stringMatching(/prevHash/),
    });
  });
});
