import { and, eq, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { follows, type FollowRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { ApiError, validationError } from '../http/errors';
import { isFollowAcrossBlock, isUniqueViolation } from '../social/unique';
import { loadProfileView } from '../profiles/load';
import { recountStatement } from './counts';

export interface Actor {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  now: number;
}

const audit = (db: Db, actor: Actor, type: Parameters<typeof auditInsert>[1]['type'], userId: string, metadata: Record<string, unknown>) =>
  auditInsert(db, { type, userId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, metadata, at: actor.now });

async function findPair(db: Db, followerId: string, followedId: string) {
  const [row] = await db.select().from(follows).where(and(eq(follows.followerId, followerId), eq(follows.followedId, followedId))).limit(1);
  return row;
}

/**
 * Follows a visible user: accepted at once when public, pending when private. The insert,
 * both recounts and the audit event are one batch; a concurrent duplicate fails on the
 * unique pair, which rolls all of it back, and is answered with the existing row; a block
 * committed in between fails it on the follows_never_across_a_block trigger (404).
 */
export async function follow(db: Db, actor: Actor, targetId: string): Promise<{ row: FollowRow; created: boolean }> {
  if (targetId.toLowerCase() === actor.userId) throw validationError({ user_id: ['You cannot follow yourself.'] });
  const view = await loadProfileView(db, actor.userId, targetId);
  const target = view.user.id;
  const existing = await findPair(db, actor.userId, target);
  if (existing) return { row: existing, created: false };
  const at = new Date(actor.now);
  const row: FollowRow = {
    id: crypto.randomUUID(),
    followerId: actor.userId,
    followedId: target,
    status: view.profile.profileVisibility === 'public' ? 'accepted' : 'pending',
    createdAt: at,
    updatedAt: at,
  };
  try {
    await db.batch([
      db.insert(follows).values(row),
      recountStatement(db, [actor.userId, target]),
      audit(db, actor, row.status === 'accepted' ? 'follow' : 'follow_requested', target, { follow_id: row.id }),
    ]);
  } catch (err) {
    // A block that committed after our visibility check: the target is hidden now.
    if (isFollowAcrossBlock(err)) throw new ApiError('not_found');
    if (!isUniqueViolation(err)) throw err;
    const winner = await findPair(db, actor.userId, target);
    if (!winner) throw err;
    return { row: winner, created: false };
  }
  return { row, created: true };
}

/** The follower unfollows (or withdraws a request), or the followed removes a follower. */
export async function unfollow(db: Db, actor: Actor, followId: string): Promise<void> {
  const [row] = await db
    .select()
    .from(follows)
    .where(and(eq(follows.id, followId), or(eq(follows.followerId, actor.userId), eq(follows.followedId, actor.userId))))
    .limit(1);
  if (!row) throw new ApiError('not_found');
  const byFollower = row.followerId === actor.userId;
  await db.batch([
    db.delete(follows).where(eq(follows.id, row.id)),
    recountStatement(db, [row.followerId, row.followedId]),
    audit(db, actor, byFollower ? 'unfollow' : 'follower_removed', byFollower ? row.followedId : row.followerId, { follow_id: row.id, status: row.status }),
  ]);
}

async function incomingPending(db: Db, actor: Actor, followId: string) {
  const [row] = await db.select().from(follows).where(and(eq(follows.id, followId), eq(follows.followedId, actor.userId))).limit(1);
  if (!row) throw new ApiError('not_found');
  return row;
}

/** The followed user accepts a request; approving an accepted follow changes nothing. */
export async function approve(db: Db, actor: Actor, followId: string): Promise<FollowRow> {
  const row = await incomingPending(db, actor, followId);
  if (row.status === 'accepted') return row;
  const at = new Date(actor.now);
  await db.batch([
    db.update(follows).set({ status: 'accepted', updatedAt: at }).where(and(eq(follows.id, row.id), eq(follows.status, 'pending'))),
    recountStatement(db, [row.followerId, row.followedId]),
    audit(db, actor, 'follow_approved', row.followerId, { follow_id: row.id }),
  ]);
  return { ...row, status: 'accepted', updatedAt: at };
}

/** The followed user turns a request down: the row goes, so the requester may ask again. */
export async function reject(db: Db, actor: Actor, followId: string): Promise<void> {
  const row = await incomingPending(db, actor, followId);
  if (row.status !== 'pending') throw new ApiError('not_found');
  await db.batch([
    db.delete(follows).where(and(eq(follows.id, row.id), eq(follows.status, 'pending'))),
    recountStatement(db, [row.followerId, row.followedId]),
    audit(db, actor, 'follow_rejected', row.followerId, { follow_id: row.id }),
  ]);
}
