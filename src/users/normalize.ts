import { isPhoneRegionSupported, parsePhone, type PhoneMetadata } from '../config/phone';

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

/**
 * E.164 form of a phone number, or null when it is not a valid one: "+44 (20) 7946-0958" ->
 * "+442079460958", "0044…" -> "+44…", and with a default region (DEFAULT_PHONE_REGION, e.g.
 * "PK") a national number too: "0300 1234567" -> "+923001234567". Numbers with an
 * extension are refused (E.164 has no room for it). The importer uses this too. `metadata`:
 * phoneMetadata() in the Worker (src/users/phones.ts), the file public/data/phone-metadata.json elsewhere.
 */
export function normalizePhone(phone: string, defaultRegion: string, metadata: PhoneMetadata): string | null {
  let value = phone.normalize('NFKC').trim();
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  if (!value.startsWith('+') && !defaultRegion) return null;
  const region = defaultRegion && isPhoneRegionSupported(defaultRegion) ? defaultRegion : undefined;
  const parsed = parsePhone(value, region, metadata);
  if (!parsed || parsed.ext || !parsed.isValid()) return null;
  return parsed.number;
}
