import { and, desc, eq, sql } from 'drizzle-orm';
import { badges, userBadges, type BadgeRow, type UserBadgeRow } from '../db/schema';
import type { Db } from '../db/client';
import { ApiError } from '../http/errors';
import { auditInsert } from '../audit/record';
import type { RequestContext } from '../http/request-context';
import { loadProfileView } from '../profiles/load';
import { isStaffRole } from '../admin/permissions';

/** At most this many featured badges per user (API.md). */
export const MAX_FEATURED = 6;

/** An owner's badges are shown with the full profile only: a private profile's card hides them. */
export const badgesHidden = () => new ApiError('forbidden', 'This profile is private: only its followers see its badges.');

export interface HeldBadge {
  row: UserBadgeRow;
  badge: BadgeRow;
}

async function held(db: Db, where: ReturnType<typeof and>, limit?: number): Promise<HeldBadge[]> {
  const q = db.select({ row: userBadges, badge: badges }).from(userBadges).innerJoin(badges, eq(badges.id, userBadges.badgeId)).where(where).orderBy(desc(userBadges.earnedAt), desc(userBadges.id));
  return limit ? q.limit(limit) : q;
}

/**
 * The badges of `ownerId` as `viewerId` may see them: 404 for an owner they may not see at
 * all (blocked, suspended, gone: the same as never existed), 403 for a private profile they
 * do not follow. Staff and the owner see inactive badges too; others only active ones.
 */
export async function listUserBadges(db: Db, viewerId: string, ownerId: string, featured: boolean | undefined): Promise<HeldBadge[]> {
  const view = await loadProfileView(db, viewerId, ownerId);
  if (view.visibility !== 'full') throw badgesHidden();
  const privileged = view.viewer.id === view.user.id || isStaffRole(view.viewer.role);
  return held(
    db,
    and(
      eq(userBadges.userId, view.user.id),
      featured === undefined ? undefined : eq(userBadges.isFeatured, featured),
      privileged ? undefined : eq(badges.isActive, true),
    ),
  );
}

/** One held badge, under the same visibility as its owner's list (hidden ones are 404). */
export async function getUserBadge(db: Db, viewerId: string, id: string): Promise<HeldBadge> {
  const [found] = await held(db, and(eq(userBadges.id, id)), 1);
  if (!found) throw new ApiError('not_found');
  const view = await loadProfileView(db, viewerId, found.row.userId);
  const privileged = view.viewer.id === view.user.id || isStaffRole(view.viewer.role);
  if (view.visibility !== 'full' || (!privileged && !found.badge.isActive)) throw new ApiError('not_found');
  return found;
}

/**
 * The owner features or unfeatures one of their badges. Featuring is one conditional
 * UPDATE that counts the owner's featured badges in the same statement: D1 runs statements
 * one at a time, so concurrent requests can never make a seventh.
 */
export async function setFeatured(ctx: RequestContext, ownerId: string, id: string, featured: boolean): Promise<HeldBadge> {
  const [found] = await held(ctx.db, and(eq(userBadges.id, id), eq(userBadges.userId, ownerId)), 1);
  if (!found) throw new ApiError('not_found');
  if (found.row.isFeatured === featured) return found;
  const update = featured
    ? ctx.db
        .update(userBadges)
        .set({ isFeatured: true })
        .where(
          and(
            eq(userBadges.id, id),
            sql`(select count(*) from ${userBadges} as f where f.user_id = ${ownerId} and f.is_featured = 1) < ${MAX_FEATURED}`,
          ),
        )
    : ctx.db.update(userBadges).set({ isFeatured: false }).where(eq(userBadges.id, id));
  const changed = await update.returning({ id: userBadges.id });
  if (changed.length === 0) {
    throw new ApiError('validation_failed', `At most ${MAX_FEATURED} badges can be featured.`, { fields: { is_featured: [`At most ${MAX_FEATURED} badges can be featured.`] } });
  }
  await auditInsert(ctx.db, {
    type: 'badge_featured',
    userId: ownerId,
    actorId: ownerId,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    metadata: { user_badge_id: id, slug: found.badge.slug, featured },
    at: ctx.now,
  });
  return { row: { ...found.row, isFeatured: featured }, badge: found.badge };
}
