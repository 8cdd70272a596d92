// Resident identity numbers (GB 11643) for test people: valid, with the check digit computed.
import { identityCheckCharacter } from '@linli/platform';

/**
 * A valid 18-digit resident identity number for a birth date (YYYY-MM-DD): the sequence part (3 digits, taken
 * modulo 1000) makes it unique per test. Odd sequence digit: male; even: female.
 */
export function identityNumberFor(birthDate: string, sequence: number, region = '320106'): string {
  const first17 = `${region}${birthDate.replace(/-/g, '')}${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + identityCheckCharacter(first17);
}
