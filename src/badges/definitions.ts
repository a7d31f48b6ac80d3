import { and, asc, eq, or, type SQL } from 'drizzle-orm';
import { badges, userBadges, type BadgeRow } from '../db/schema';
import type { Db } from '../db/client';
import type { AdminContext } from '../admin/context';
import { auditInsert } from '../audit/record';
import { ApiError, validationError } from '../http/errors';
import { isUniqueViolation } from '../social/unique';
import { recomputeHolders } from './profile-totals';
import { POINT_BANDS, pointsProblem, slugFrom, type DefinitionBody, type DefinitionPatch } from './definition-schemas';
import type { z } from 'zod';
import type { definitionListQuery } from './definition-schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A badge by id or slug (both are accepted wherever the API names a badge). */
export function badgeKey(idOrSlug: string): SQL {
  const key = idOrSlug.trim();
  return UUID.test(key) ? or(eq(badges.id, key.toLowerCase()), eq(badges.slug, key.toLowerCase()))! : eq(badges.slug, key.toLowerCase());
}

/** Non-staff see active badges only; an inactive one is as absent as one that never existed. */
export async function findBadge(db: Db, idOrSlug: string, includeInactive: boolean): Promise<BadgeRow> {
  const [row] = await db
    .select()
    .from(badges)
    .where(and(badgeKey(idOrSlug), includeInactive ? undefined : eq(badges.isActive, true)))
    .limit(1);
  if (!row) throw new ApiError('not_found');
  return row;
}

export async function listBadges(db: Db, query: z.infer<typeof definitionListQuery>, isStaff: boolean): Promise<BadgeRow[]> {
  const active = isStaff ? (query.is_active === undefined ? undefined : query.is_active === 'true') : true;
  return db
    .select()
    .from(badges)
    .where(
      and(
        active === undefined ? undefined : eq(badges.isActive, active),
        query.category ? eq(badges.category, query.category) : undefined,
        query.rarity ? eq(badges.rarity, query.rarity) : undefined,
      ),
    )
    .orderBy(asc(badges.category), asc(badges.points), asc(badges.slug));
}

const audit = (ctx: AdminContext, type: 'badge_created' | 'badge_updated' | 'badge_deleted', badge: Pick<BadgeRow, 'id' | 'slug'>, metadata: Record<string, unknown> = {}) =>
  auditInsert(ctx.db, {
    type,
    actorId: ctx.staff.id,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    metadata: { badge_id: badge.id, slug: badge.slug, actor_role: ctx.staff.role, ...metadata },
    at: ctx.now,
  });

function checkPoints(points: number, rarity: BadgeRow['rarity']) {
  const problem = pointsProblem(points, rarity);
  if (problem) throw validationError({ points: [problem] });
}

const slugTaken = () => new ApiError('conflict', 'A badge with this slug exists.');

export async function createBadge(ctx: AdminContext, body: DefinitionBody): Promise<BadgeRow> {
  const points = body.points ?? POINT_BANDS[body.rarity].default;
  checkPoints(points, body.rarity);
  const at = new Date(ctx.now);
  const row: BadgeRow = {
    id: crypto.randomUUID(),
    slug: body.slug ?? slugFrom(body.name),
    name: body.name,
    description: body.description,
    category: body.category,
    icon: body.icon,
    color: body.color,
    imageUrl: body.image_url,
    criteria: JSON.stringify(body.criteria),
    points,
    rarity: body.rarity,
    isActive: body.is_active,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await ctx.db.batch([ctx.db.insert(badges).values(row), audit(ctx, 'badge_created', row, { points, rarity: row.rarity })]);
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
  return row;
}

/** PATCH (some fields) or PUT (all): changed points are recomputed into every holder's totals in the same batch. */
export async function updateBadge(ctx: AdminContext, idOrSlug: string, patch: DefinitionPatch | DefinitionBody): Promise<BadgeRow> {
  const current = await findBadge(ctx.db, idOrSlug, true);
  const rarity = patch.rarity ?? current.rarity;
  const points = patch.points ?? (patch.rarity && patch.rarity !== current.rarity ? POINT_BANDS[rarity].default : current.points);
  checkPoints(points, rarity);
  const next: BadgeRow = {
    ...current,
    slug: patch.slug ?? current.slug,
    name: patch.name ?? current.name,
    description: patch.description ?? current.description,
    category: patch.category ?? current.category,
    icon: patch.icon ?? current.icon,
    color: patch.color ?? current.color,
    imageUrl: patch.image_url ?? current.imageUrl,
    criteria: patch.criteria ? JSON.stringify(patch.criteria) : current.criteria,
    points,
    rarity,
    isActive: patch.is_active ?? current.isActive,
    updatedAt: new Date(ctx.now),
  };
  const changed = Object.keys(patch).filter((k) => k !== 'updated_at');
  const { id, createdAt: _c, ...values } = next;
  try {
    await ctx.db.batch([
      ctx.db.update(badges).set(values).where(eq(badges.id, id)),
      ...(points !== current.points ? [recomputeHolders(ctx.db, id)] : []),
      audit(ctx, 'badge_updated', next, { fields: changed, ...(patch.is_active === false && current.isActive ? { deactivated: true } : {}) }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw slugTaken();
    throw err;
  }
  return next;
}

/**
 * Deletes a badge nobody holds. An awarded badge is 409 (deactivate it instead): checked
 * first for a plain answer, and enforced by the foreign key from user_badges, which fails
 * the whole batch (event included) should an award slip in between.
 */
export async function deleteBadge(ctx: AdminContext, idOrSlug: string): Promise<void> {
  const badge = await findBadge(ctx.db, idOrSlug, true);
  const inUse = () => new ApiError('conflict', 'This badge has been awarded: deactivate it instead.');
  const [held] = await ctx.db.select({ id: userBadges.id }).from(userBadges).where(eq(userBadges.badgeId, badge.id)).limit(1);
  if (held) throw inUse();
  try {
    await ctx.db.batch([ctx.db.delete(badges).where(eq(badges.id, badge.id)), audit(ctx, 'badge_deleted', badge)]);
  } catch (err) {
    if (/FOREIGN KEY constraint failed/i.test(`${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`)) throw inUse();
    throw err;
  }
}
