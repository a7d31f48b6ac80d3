import { and, eq, isNull } from 'drizzle-orm';
import { badges, userBadges, users, type BadgeRow } from '../db/schema';
import type { Db } from '../db/client';
import type { RequestContext } from '../http/request-context';
import { parseStoredCriteria, readsAny, type Criteria, type Fact } from './criteria';
import { loadFigures } from './figures';
import { assess, type Assessment } from './assess';
import { awardBadge } from './awards';

export interface Candidate {
  badge: BadgeRow;
  criteria: Criteria;
}

/** Active badges with automatic criteria (manual ones are awarded by staff only). */
export async function automaticBadges(db: Db): Promise<Candidate[]> {
  const rows = await db.select().from(badges).where(eq(badges.isActive, true));
  return rows.map((badge) => ({ badge, criteria: parseStoredCriteria(badge.criteria) })).filter((c) => c.criteria.type !== 'manual');
}

async function heldBadgeIds(db: Db, userId: string): Promise<Set<string>> {
  const rows = await db.select({ id: userBadges.badgeId }).from(userBadges).where(eq(userBadges.userId, userId));
  return new Set(rows.map((r) => r.id));
}

/** At most this many rounds: an award moves badge_points, which other badges may read. */
const MAX_ROUNDS = 3;

/**
 * Evaluates the badges of one user whose criteria read one of `facts` (all automatic
 * badges when null) and awards those met, through the one award function. Returns the
 * slugs awarded. Deleted and inactive accounts earn nothing.
 */
export async function evaluateUser(ctx: RequestContext, userId: string, facts: readonly Fact[] | null): Promise<string[]> {
  const [user] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt), eq(users.isActive, true)))
    .limit(1);
  if (!user) return [];
  const all = await automaticBadges(ctx.db);
  const awarded: string[] = [];
  let changed: readonly Fact[] | null = facts;
  for (let round = 0; round < MAX_ROUNDS && (changed === null || changed.length > 0); round++) {
    const held = await heldBadgeIds(ctx.db, userId);
    const candidates = all.filter((c) => !held.has(c.badge.id) && readsAny(c.criteria, changed ?? undefined));
    if (candidates.length === 0) break;
    const figures = await loadFigures(ctx.db, userId, candidates.map((c) => c.criteria), ctx.now);
    if (!figures) break;
    const met = candidates.map((c) => ({ c, a: assess(c.criteria, figures) })).filter((x) => x.a.met);
    for (const { c, a } of met) {
      const { created } = await awardBadge(ctx, { userId, badge: c.badge, by: { staffId: null }, reason: 'criteria met', progress: a.data });
      if (created) awarded.push(c.badge.slug);
    }
    changed = met.length > 0 ? ['badge_points'] : [];
  }
  return awarded;
}

export interface ProgressEntry {
  badge: BadgeRow;
  assessment: Assessment;
}

/** How far a user is toward each automatic badge they do not hold yet: the same figures and assessor as the awards. */
export async function progressOf(ctx: RequestContext, userId: string): Promise<ProgressEntry[]> {
  const [all, held] = await Promise.all([automaticBadges(ctx.db), heldBadgeIds(ctx.db, userId)]);
  const open = all.filter((c) => !held.has(c.badge.id));
  if (open.length === 0) return [];
  const figures = await loadFigures(ctx.db, userId, open.map((c) => c.criteria), ctx.now);
  if (!figures) return [];
  return open.map((c) => ({ badge: c.badge, assessment: assess(c.criteria, figures) }));
}
