import { hashesOf, matchingConflicts, samePerson } from './conflict.rules';

describe('conflicts of interest', () => {
  it('match the same identity number or the same phone, never a name alone', () => {
    expect(samePerson({ phoneHash: 'p1' }, { phoneHash: 'p1', identityHash: 'i9' })).toBe(true);
    expect(samePerson({ identityHash: 'i1' }, { phoneHash: 'p9', identityHash: 'i1' })).toBe(true);
    expect(samePerson({ phoneHash: 'p1', identityHash: 'i1' }, { phoneHash: 'p2', identityHash: 'i2' })).toBe(
      false,
    );
    expect(samePerson({}, {})).toBe(false);
    expect(samePerson({ phoneHash: 'p1' }, {})).toBe(false);
  });

  it('list the declarations that match any party', () => {
    const declared = [
      { conflictId: 'K1', phoneHash: 'p1' },
      { conflictId: 'K2', identityHash: 'i2' },
      { conflictId: 'K3', phoneHash: 'p3' },
    ];
    const parties = [{ phoneHash: 'p1' }, { identityHash: 'i2', phoneHash: 'p9' }];
    expect(matchingConflicts(declared, parties).map((conflict) => conflict.conflictId)).toEqual(['K1', 'K2']);
    expect(matchingConflicts(declared, [])).toEqual([]);
  });

  it('look up by every hash of the parties, once each', () => {
    expect(hashesOf([{ phoneHash: 'p1', identityHash: 'i1' }, { phoneHash: 'p1' }, {}])).toEqual({
      phoneHashes: ['p1'],
      identityHashes: ['i1'],
    });
  });
});
