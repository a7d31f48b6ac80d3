/** Canonical forms used for storage, lookups and uniqueness. */

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Display form of a username: NFKC, trimmed. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim();
}

/** The case-insensitive uniqueness key of a username. */
export function usernameKey(username: string): string {
  return normalizeUsername(username).toLowerCase();
}

const PHONE_SEPARATORS = /[\s().-]/g;
const E164 = /^\+[1-9]\d{6,14}$/;

/** "+44 (20) 7946-0958" -> "+442079460958"; "0044…" -> "+44…"; null when not a valid E.164 number. */
export function normalizePhone(phone: string): string | null {
  let value = phone.normalize('NFKC').replace(PHONE_SEPARATORS, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  return E164.test(value) ? value : null;
}
