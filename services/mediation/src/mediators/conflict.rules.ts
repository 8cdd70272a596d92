// Conflicts of interest (回避): a mediator declares the people they must not mediate for (kin, neighbours, business
// partners), by phone or identity number, and a case with such a person among its parties is never theirs. Matched
// on keyed hashes, so the comparison needs no clear values. Pure (unit-tested in conflict.rules.spec.ts).

/** What is compared: the keyed hashes of a declared person or of a party. */
export interface PersonHashes {
  phoneHash?: string;
  identityHash?: string;
}

/**
 * The same person, as far as a conflict goes: the same identity number, or the same phone. A name alone never
 * matches (names repeat: 王伟 is tens of thousands of people), which is why a declaration needs a phone or a number.
 */
export function samePerson(declared: PersonHashes, party: PersonHashes): boolean {
  return (
    (declared.identityHash !== undefined && declared.identityHash === party.identityHash) ||
    (declared.phoneHash !== undefined && declared.phoneHash === party.phoneHash)
  );
}

/** The declarations that match at least one of the parties. */
export function matchingConflicts<C extends PersonHashes>(
  declared: readonly C[],
  parties: readonly PersonHashes[],
): C[] {
  return declared.filter((conflict) => parties.some((party) => samePerson(conflict, party)));
}

/** The hashes to look declarations up by: every phone and identity hash of the parties, once each. */
export function hashesOf(parties: readonly PersonHashes[]): {
  phoneHashes: string[];
  identityHashes: string[];
} {
  const phoneHashes = new Set<string>();
  const identityHashes = new Set<string>();
  for (const party of parties) {
    if (party.phoneHash) phoneHashes.add(party.phoneHash);
    if (party.identityHash) identityHashes.add(party.identityHash);
  }
  return { phoneHashes: [...phoneHashes], identityHashes: [...identityHashes] };
}
