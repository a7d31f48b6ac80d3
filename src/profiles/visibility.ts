import { sql, type SQL } from 'drizzle-orm';
import { blocks, profiles, users, type ProfileRow, type UserRow } from '../db/schema';
import { isStaffRole } from '../admin/permissions';

/**
 * What a viewer may see of an owner: nothing (the same 404 as a user that never existed),
 * a card, or the full profile. The one decision every social read goes through.
 */
export type Visibility = 'none' | 'card' | 'full';

export type FollowState = 'none' | 'pending' | 'accepted';

export interface Viewer {
  id: string;
  role: UserRow['role'];
}

export interface Owner {
  id: string;
  deleted: boolean;
  active: boolean;
  suspended: boolean;
  isPrivate: boolean;
}

export interface Relation {
  /** Either one blocked the other. */
  blocked: boolean;
  /** The viewer's follow of the owner. */
  follow: FollowState;
}

export function visibility(viewer: Viewer, owner: Owner, relation: Relation): Visibility {
  if (viewer.id === owner.id) return 'full';
  // Staff see every account that exists, whatever its state (API.md: "staff excepted").
  if (isStaffRole(viewer.role)) return 'full';
  if (owner.deleted || !owner.active || owner.suspended) return 'none';
  if (relation.blocked) return 'none';
  if (!owner.isPrivate || relation.follow === 'accepted') return 'full';
  return 'card';
}

export function ownerOf(user: UserRow, profile: ProfileRow | undefined): Owner {
  return {
    id: user.id,
    deleted: user.deletedAt !== null,
    active: user.isActive,
    suspended: profile?.isSuspended ?? false,
    isPrivate: isPrivate(profile),
  };
}

/** `profile_visibility` is the one source of truth; `is_private` is derived from it. */
export function isPrivate(profile: Pick<ProfileRow, 'profileVisibility'> | undefined): boolean {
  return (profile?.profileVisibility ?? 'public') !== 'public';
}

/**
 * The same rule as `visibility` for lists, as SQL over `users` joined with `profiles`:
 * the rows for which it is not 'none'. Lists must page and count in the database, so
 * they filter with this and then serialize each row through `visibility` itself.
 */
export function visibleToCondition(viewer: Viewer): SQL | undefined {
  if (isStaffRole(viewer.role)) return undefined;
  // Unary + keeps SQLite from driving a list with this filter (an OR over every live user):
  // the list's own index (a search prefix, a follows range) must drive, this only filters.
  return sql`(+${users.id} = ${viewer.id} or (+${users.deletedAt} is null and +${users.isActive} = 1 and +${profiles.isSuspended} = 0 and not exists (select 1 from ${blocks} where (${blocks.blockerId} = ${viewer.id} and ${blocks.blockedId} = ${users.id}) or (${blocks.blockerId} = ${users.id} and ${blocks.blockedId} = ${viewer.id}))))`;
}
