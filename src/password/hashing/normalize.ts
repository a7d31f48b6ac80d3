/**
 * NFKC, the form hashes and the policy see (API.md "Limits"): a password typed with
 * fullwidth letters, ligatures or decomposed accents verifies against the same hash.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}
