import { and, eq } from 'drizzle-orm';
import { badges, userBadges, users, type BadgeRow, type UserBadgeRow } from '../db/schema';
import type { RequestContext } from '../http/request-context';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import { isUniqueViolation } from '../social/unique';
import { mailBestEffort } from '../mail/enqueue';
import { readSettings } from '../settings/store';
import { recomputeTotals } from './profile-totals';

/** Who gives a badge: staff (their id and role), the CLI (no id, role `cli`), or the evaluator (neither). */
export interface Awarder {
  staffId: string | null;
  staffRole?: string;
}

export interface AwardInput {
  userId: string;
  badge: BadgeRow;
  by: Awarder;
  reason?: string;
  /** The criteria's figures when earned (progress_data). */
  progress?: Record<string, unknown>;
}

export interface AwardResult {
  row: UserBadgeRow;
  created: boolean;
}

const audit = (ctx: Pick<RequestContext, 'db' | 'meta' | 'now'>, by: Awarder, type: 'badge_earned' | 'badge_revoked', userId: string, metadata: Record<string, unknown>) =>
  auditInsert(ctx.db, {
    type,
    userId,
    actorId: by.staffId,
    ip: by.staffId ? ctx.meta.ip : null,
    userAgent: by.staffId ? ctx.meta.userAgent : null,
    metadata: by.staffRole ? { ...metadata, actor_role: by.staffRole } : metadata,
    at: ctx.now,
  });

async function heldRow(ctx: RequestContext, userId: string, badgeId: string) {
  const [row] = await ctx.db.select().from(userBadges).where(and(eq(userBadges.userId, userId), eq(userBadges.badgeId, badgeId))).limit(1);
  return row;
}

/** A new award's row (not yet written). */
export function newAward(input: AwardInput, now: number): UserBadgeRow {
  return {
    id: crypto.randomUUID(),
    userId: input.userId,
    badgeId: input.badge.id,
    earnedAt: new Date(now),
    isFeatured: false,
    progressData: JSON.stringify(input.progress ?? {}),
    // 'cli' marks npm run award-badge, which has no staff account behind it.
    awardedBy: input.by.staffId ?? (input.by.staffRole === 'cli' ? 'cli' : null),
    reason: (input.reason ?? '').slice(0, 500),
  };
}

/**
 * The statements of an award, in order: the row (unique per user and badge), the
 * recomputed totals, the `badge_earned` event. The Worker runs them as one D1 batch;
 * `npm run award-badge` turns the very same statements into SQL for `wrangler d1 execute`.
 */
export function awardStatements(ctx: Pick<RequestContext, 'db' | 'meta' | 'now'>, row: UserBadgeRow, badge: BadgeRow, by: Awarder) {
  return [
    ctx.db.insert(userBadges).values(row),
    recomputeTotals(ctx.db, row.userId),
    audit(ctx, by, 'badge_earned', row.userId, {
      user_badge_id: row.id,
      badge_id: badge.id,
      slug: badge.slug,
      points: badge.points,
      automatic: by.staffId === null && by.staffRole === undefined,
      ...(row.reason ? { reason: row.reason } : {}),
    }),
  ] as const;
}

/**
 * THE award: the evaluator, the API, the console and (through awardStatements) the CLI all
 * come here. The row, the `badge_earned` event and the recomputed totals are one batch (one
 * transaction); a concurrent award of the same pair fails on the unique (user, badge) key,
 * which rolls all of it back, and is answered with the row that won. Only the winner mails.
 */
export async function awardBadge(ctx: RequestContext, input: AwardInput): Promise<AwardResult> {
  const { userId, badge } = input;
  const existing = await heldRow(ctx, userId, badge.id);
  if (existing) return { row: existing, created: false };
  const row = newAward(input, ctx.now);
  try {
    await ctx.db.batch([...awardStatements(ctx, row, badge, input.by)]);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const winner = await heldRow(ctx, userId, badge.id);
    if (!winner) throw err;
    return { row: winner, created: false };
  }
  await mailOwner(ctx, userId, badge);
  return { row, created: true };
}

/** The badge-earned notice obeys the owner's email_notifications (it is not security mail). */
async function mailOwner(ctx: RequestContext, userId: string, badge: BadgeRow): Promise<void> {
  const [owner] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, userId)).limit(1);
  if (!owner || !(await readSettings(ctx.db, userId)).email_notifications) return;
  await mailBestEffort(
    ctx,
    { template: 'badge_earned', to: owner.email, userId, data: { badge_name: badge.name, description: badge.description, points: badge.points } },
    'badge earned notice',
  );
}

/** Staff take a badge back: the row goes, the totals are recomputed, and it is audited, in one batch. */
export async function revokeBadge(ctx: RequestContext, userBadgeId: string, by: Awarder, reason = ''): Promise<UserBadgeRow> {
  const [row] = await ctx.db.select().from(userBadges).where(eq(userBadges.id, userBadgeId)).limit(1);
  if (!row) throw new ApiError('not_found');
  const [badge] = await ctx.db.select({ slug: badges.slug }).from(badges).where(eq(badges.id, row.badgeId)).limit(1);
  const [deleted] = await ctx.db.batch([
    ctx.db.delete(userBadges).where(eq(userBadges.id, row.id)).returning({ id: userBadges.id }),
    recomputeTotals(ctx.db, row.userId),
    audit(ctx, by, 'badge_revoked', row.userId, { user_badge_id: row.id, badge_id: row.badgeId, slug: badge?.slug ?? null, ...(reason ? { reason } : {}) }),
  ]);
  // A concurrent revoke got there first: our batch removed nothing (and its event says so).
  if (deleted.length === 0) throw new ApiError('not_found');
  return row;
}
