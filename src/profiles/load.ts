import { and, eq, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { blocks, follows, professionalProfiles, profiles, users } from '../db/schema';
import { ApiError } from '../http/errors';
import { userByIdQuery } from '../users/queries';
import { usernameKey } from '../users/normalize';
import { followStatusOf, type ProfileView } from './serialize';
import { ownerOf, visibility, type FollowState, type Viewer } from './visibility';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Never matches a user: lets a lookup of a malformed or unknown id run the same queries. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

export const isUuid = (id: string) => UUID.test(id);

/** The one answer for "not there" and "not for you": identical in every way. */
export const profileNotFound = () => new ApiError('not_found');

/** The signed-in viewer (live, not deleted); a token for a vanished account is 401. */
export async function loadViewer(db: Db, viewerId: string): Promise<Viewer> {
  const [user] = await userByIdQuery(db, viewerId);
  if (!user) throw new ApiError('unauthorized');
  return { id: user.id, role: user.role };
}

/**
 * An owner with the viewer's relation to them, in one D1 round trip whatever the answer
 * (so "never existed", "blocked" and "suspended" take the same path), judged by `visibility`.
 */
export async function loadProfileView(db: Db, viewerId: string, ownerId: string): Promise<ProfileView> {
  const id = isUuid(ownerId) ? ownerId.toLowerCase() : NO_USER;
  // No joins in a batch: D1's raw rows lose columns whose names repeat across tables.
  const [viewerRows, ownerRows, profileRows, blockRows, followRows, professionalRows] = await db.batch([
    userByIdQuery(db, viewerId),
    db.select().from(users).where(eq(users.id, id)).limit(1),
    db.select().from(profiles).where(eq(profiles.userId, id)).limit(1),
    db
      .select({ id: blocks.id })
      .from(blocks)
      .where(or(and(eq(blocks.blockerId, viewerId), eq(blocks.blockedId, id)), and(eq(blocks.blockerId, id), eq(blocks.blockedId, viewerId))))
      .limit(1),
    db.select({ status: follows.status }).from(follows).where(and(eq(follows.followerId, viewerId), eq(follows.followedId, id))).limit(1),
    db.select().from(professionalProfiles).where(eq(professionalProfiles.userId, id)).limit(1),
  ]);
  const viewerRow = viewerRows[0];
  if (!viewerRow) throw new ApiError('unauthorized');
  const viewer: Viewer = { id: viewerRow.id, role: viewerRow.role };
  const [user, profile] = [ownerRows[0], profileRows[0]];
  if (!user || !profile) throw profileNotFound();
  const follow: FollowState = followRows[0]?.status ?? 'none';
  const seen = visibility(viewer, ownerOf(user, profile), { blocked: blockRows.length > 0, follow });
  if (seen === 'none') throw profileNotFound();
  return {
    viewer,
    visibility: seen,
    user,
    profile,
    professional: professionalRows[0],
    followStatus: followStatusOf(viewer.id, user.id, follow),
  };
}

/** By username (case-insensitive): resolves the id, then the same path as by id. */
export async function loadProfileViewByUsername(db: Db, viewerId: string, username: string): Promise<ProfileView> {
  const key = usernameKey(username);
  const [found] = key ? await db.select({ id: users.id }).from(users).where(and(eq(users.usernameKey, key), isNull(users.deletedAt))).limit(1) : [];
  return loadProfileView(db, viewerId, found?.id ?? NO_USER);
}
