import type { FollowRow } from '../db/schema';

export function serializeFollow(row: FollowRow) {
  return { id: row.id, follower: row.followerId, followed: row.followedId, status: row.status, created_at: row.createdAt.toISOString() };
}
