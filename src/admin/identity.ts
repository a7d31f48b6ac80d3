import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { ApiError, validationError } from '../http/errors';
import { normalizeUsername, usernameKey } from '../users/normalize';
import type { ReadPhone } from '../users/phones';
import { takenKeys, uniqueViolation } from '../users/queries';
import type { UserPatch } from './schemas';

/** The fields of a patch that name the account (and must stay unique). */
export const IDENTITY_FIELDS = ['email', 'username', 'phone_number'] as const;

const TAKEN_ERROR = { email: 'email_taken', usernameKey: 'username_taken', phoneNumber: 'phone_taken' } as const;
export const INVALID_PHONE = 'Enter a valid phone number in international format, e.g. +14155550123.';

/**
 * The email, username and phone columns a patch changes, normalized as registration and
 * PATCH /me store them, and checked free (409 email_taken / username_taken / phone_taken,
 * the answers of those routes). Soft-deleted accounts still own their keys. Unchanged
 * values are left out, so saving a form as it was changes and records nothing. A null email
 * removes the address (allowed only while username and phone remain: assertKeepsSignInKeys);
 * phone numbers read by `readPhone` (phoneReader: national ones in DEFAULT_PHONE_REGION).
 */
export async function identityChanges(db: Db, target: UserRow, patch: UserPatch, readPhone: ReadPhone): Promise<Partial<UserRow>> {
  const changes: Partial<UserRow> = {};
  if (patch.email !== undefined && patch.email !== target.email) changes.email = patch.email;
  if (patch.username !== undefined) {
    const key = patch.username ? usernameKey(patch.username) : null;
    const display = patch.username ? normalizeUsername(patch.username) : null;
    if (key !== target.usernameKey || display !== target.username) Object.assign(changes, { username: display, usernameKey: key });
  }
  if (patch.phone_number !== undefined) {
    const phone = patch.phone_number ? await readPhone(patch.phone_number) : null;
    if (patch.phone_number && !phone) throw validationError({ phone_number: [INVALID_PHONE] });
    if (phone !== target.phoneNumber) changes.phoneNumber = phone;
  }
  const keys = { email: changes.email ?? '', usernameKey: changes.usernameKey ?? null, phoneNumber: changes.phoneNumber ?? null };
  if (!changes.email && !keys.usernameKey && !keys.phoneNumber) return changes;
  const taken = await takenKeys(db, keys, target.id);
  const first = (['email', 'usernameKey', 'phoneNumber'] as const).find((k) => taken.has(k) && (k !== 'email' || changes.email));
  if (first) throw new ApiError(TAKEN_ERROR[first]);
  return changes;
}

/** The 409 for a unique-key failure of D1 (a race the check above lost), else null. */
export function keysTakenError(err: unknown): ApiError | null {
  const key = uniqueViolation(err);
  return key ? new ApiError(TAKEN_ERROR[key]) : null;
}
