import type { Db } from '../db/client';
import type { ProfileRow, ProfileVisibility } from '../db/schema';
import { auditInsert } from '../audit/record';
import { acceptPendingStatements } from '../follows/counts';

/** The social part of a `PATCH /auth/me` profile, as validated by `ownerProfileFields`. */
export interface OwnerProfilePatch {
  display_name?: string;
  cover_media_url?: string;
  cover_media_type?: ProfileRow['coverMediaType'];
  date_of_birth?: string | null;
  city?: string;
  country?: string;
  account_type?: 'normal' | 'data_provider';
  is_private?: boolean;
  show_email?: boolean;
  show_phone?: boolean;
  show_location?: boolean;
}

export function ownerProfileColumns(patch: OwnerProfilePatch): Partial<ProfileRow> {
  const columns: Partial<ProfileRow> = {};
  if (patch.display_name !== undefined) columns.displayName = patch.display_name;
  if (patch.cover_media_url !== undefined) columns.coverMediaUrl = patch.cover_media_url;
  if (patch.cover_media_type !== undefined) columns.coverMediaType = patch.cover_media_type;
  if (patch.date_of_birth !== undefined) columns.dateOfBirth = patch.date_of_birth;
  if (patch.city !== undefined) columns.city = patch.city;
  if (patch.country !== undefined) columns.country = patch.country;
  if (patch.account_type !== undefined) columns.accountType = patch.account_type;
  if (patch.is_private !== undefined) columns.profileVisibility = visibilityFromIsPrivate(patch.is_private);
  if (patch.show_email !== undefined) columns.showEmail = patch.show_email;
  if (patch.show_phone !== undefined) columns.showPhone = patch.show_phone;
  if (patch.show_location !== undefined) columns.showLocation = patch.show_location;
  return columns;
}

/** `is_private: true` from the profile means the strictest setting; false means public. */
export const visibilityFromIsPrivate = (isPrivate: boolean): ProfileVisibility => (isPrivate ? 'private' : 'public');

interface Meta {
  ip: string | null;
  userAgent: string | null;
  at: number;
}

/**
 * When a write sets the visibility: going public accepts the pending requests (with the
 * counts), and the change is audited, all in the caller's batch. Runs after the update.
 */
export function privacyStatements(db: Db, userId: string, patch: { is_private?: boolean } | undefined, meta: Meta) {
  if (patch?.is_private === undefined) return [];
  return visibilityStatements(db, userId, visibilityFromIsPrivate(patch.is_private), meta);
}

export function visibilityStatements(db: Db, userId: string, visibility: ProfileVisibility, meta: Meta) {
  return [
    ...(visibility === 'public' ? acceptPendingStatements(db, userId, meta.at) : []),
    auditInsert(db, { type: 'privacy_changed', userId, actorId: userId, ip: meta.ip, userAgent: meta.userAgent, metadata: { profile_visibility: visibility }, at: meta.at }),
  ];
}
