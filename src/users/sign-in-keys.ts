import type { UserRow } from '../db/schema';
import { validationError } from '../http/errors';

export const NO_EMAIL_NEEDS_KEYS = 'An account without an email needs both a username and a phone number.';

/**
 * An account may go without an email only while it has a username and a phone number:
 * it signs in by either, and nothing can be mailed to it. Throws validation_failed naming
 * the keys it lacks.
 */
export function assertKeepsSignInKeys(user: Pick<UserRow, 'email' | 'username' | 'phoneNumber'>): void {
  if (user.email) return;
  const fields: Record<string, string[]> = {};
  if (!user.username) fields.username = [NO_EMAIL_NEEDS_KEYS];
  if (!user.phoneNumber) fields.phone_number = [NO_EMAIL_NEEDS_KEYS];
  if (Object.keys(fields).length > 0) throw validationError(fields);
}
