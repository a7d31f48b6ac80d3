import { and, desc, eq, or, sql } from 'drizzle-orm';
import * as z from 'zod';
import type { Db } from '../db/client';
import { blocks, follows, profiles, users, type BlockRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { ApiError, validationError } from '../http/errors';
import { isUniqueViolation } from '../social/unique';
import { isUuid } from '../profiles/load';
import { ownerOf, visibility } from '../profiles/visibility';
import { recountStatement } from '../follows/counts';
import { offsetOf, type PageRequest } from '../admin/pagination';
import type { Actor } from '../follows/service';

export const blockBody = z.object({
  user_id: z.string().trim().min(1, 'This field may not be blank.').max(100),
  reason: z.string().trim().max(500, 'Ensure this field has no more than 500 characters.').optional().default(''),
});

export function serializeBlock(row: BlockRow) {
  return { id: row.id, blocker: row.blockerId, blocked: row.blockedId, reason: row.reason, created_at: row.createdAt.toISOString() };
}

async function findBlock(db: Db, blockerId: string, blockedId: string) {
  const [row] = await db.select().from(blocks).where(and(eq(blocks.blockerId, blockerId), eq(blocks.blockedId, blockedId))).limit(1);
  return row;
}

/**
 * The target must be someone the caller could see were there no blocks: being blocked by
 * them already must not change the answer (nothing tells a user who blocked them).
 */
async function blockableTarget(db: Db, actor: Actor, targetId: string): Promise<string> {
  if (!isUuid(targetId)) throw new ApiError('not_found');
  const id = targetId.toLowerCase();
  const [[viewer], [user], [profile]] = await db.batch([
    db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, actor.userId)).limit(1),
    db.select().from(users).where(eq(users.id, id)).limit(1),
    db.select().from(profiles).where(eq(profiles.userId, id)).limit(1),
  ]);
  if (!viewer || !user || !profile) throw new ApiError('not_found');
  if (visibility(viewer, ownerOf(user, profile), { blocked: false, follow: 'none' }) === 'none') throw new ApiError('not_found');
  return user.id;
}

/** Block, the removal of follows and requests both ways, all four counts and the audit event: one batch. */
export async function block(db: Db, actor: Actor, targetId: string, reason: string): Promise<{ row: BlockRow; created: boolean }> {
  if (targetId.toLowerCase() === actor.userId) throw validationError({ user_id: ['You cannot block yourself.'] });
  const target = await blockableTarget(db, actor, targetId);
  const existing = await findBlock(db, actor.userId, target);
  if (existing) return { row: existing, created: false };
  const row: BlockRow = { id: crypto.randomUUID(), blockerId: actor.userId, blockedId: target, reason, createdAt: new Date(actor.now) };
  try {
    await db.batch([
      db.insert(blocks).values(row),
      db
        .delete(follows)
        .where(or(and(eq(follows.followerId, actor.userId), eq(follows.followedId, target)), and(eq(follows.followerId, target), eq(follows.followedId, actor.userId)))),
      recountStatement(db, [actor.userId, target]),
      auditInsert(db, { type: 'block', userId: target, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, metadata: { block_id: row.id }, at: actor.now }),
    ]);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const winner = await findBlock(db, actor.userId, target);
    if (!winner) throw err;
    return { row: winner, created: false };
  }
  return { row, created: true };
}

export async function unblock(db: Db, actor: Actor, blockId: string): Promise<void> {
  const [row] = await db.select().from(blocks).where(and(eq(blocks.id, blockId), eq(blocks.blockerId, actor.userId))).limit(1);
  if (!row) throw new ApiError('not_found');
  await db.batch([
    db.delete(blocks).where(eq(blocks.id, row.id)),
    auditInsert(db, { type: 'unblock', userId: row.blockedId, actorId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, metadata: { block_id: row.id }, at: actor.now }),
  ]);
}

/** The caller's own blocks, newest first (blocks_blocker_created_idx). */
export async function listBlocks(db: Db, blockerId: string, page: PageRequest) {
  const where = eq(blocks.blockerId, blockerId);
  const [rows, counts] = await db.batch([
    db.select().from(blocks).where(where).orderBy(desc(blocks.createdAt), desc(blocks.id)).limit(page.page_size).offset(offsetOf(page)),
    db.select({ n: sql<number>`count(*)` }).from(blocks).where(where),
  ]);
  return { count: counts[0]?.n ?? 0, rows };
}
