import * as z from 'zod';
import { BADGE_CATEGORIES, BADGE_RARITIES } from '../db/schema';
import { isoTime } from '../users/responses';
import { profileCardSchema } from '../profiles/responses';
import { criteriaSchema } from './criteria';

/** OpenAPI response schemas of badges (serialize.ts, leaderboard.ts, analytics.ts and routes.ts build them). */
export const badgeSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.enum(BADGE_CATEGORIES),
    icon: z.string(),
    color: z.string(),
    image_url: z.string(),
    // A stored criteria that no longer parses reads as manual (criteria.ts parseStoredCriteria).
    criteria: criteriaSchema,
    points: z.number().int().nonnegative(),
    rarity: z.enum(BADGE_RARITIES),
    is_active: z.boolean(),
    created_at: isoTime,
  })
  .meta({ id: 'Badge' });

export const userBadgeSchema = z
  .object({
    id: z.string(),
    user: z.string().describe('The holder\'s user id.'),
    badge: badgeSchema,
    earned_at: isoTime,
    is_featured: z.boolean(),
    progress_data: z.record(z.string(), z.unknown()).describe('The figures compared when it was awarded.'),
  })
  .meta({ id: 'UserBadge' });

export const leaderboardSchema = z.array(
  z.object({
    rank: z.number().int().positive(),
    user: profileCardSchema,
    badge_points: z.number().int().nonnegative(),
    total_badges: z.number().int().nonnegative(),
    recent_badges: z.array(z.object({ slug: z.string(), name: z.string(), icon: z.string(), rarity: z.enum(BADGE_RARITIES), earned_at: isoTime })),
  }),
);

export const badgeProgressSchema = z.object({
  eligible_badges: z.array(
    z.object({
      badge: badgeSchema,
      progress: z.number().int().min(0).max(100).describe('Percent of the way to the badge.'),
      requirements_met: z.number().int().nonnegative(),
      total_requirements: z.number().int().nonnegative(),
    }),
  ),
});

const tally = { badges: z.number().int().nonnegative(), awards: z.number().int().nonnegative() };

export const badgeAnalyticsSchema = z.object({
  totals: z.object({
    badges: z.number().int().nonnegative(),
    active_badges: z.number().int().nonnegative(),
    awards: z.number().int().nonnegative(),
    users_with_badges: z.number().int().nonnegative(),
    points_awarded: z.number().int().nonnegative(),
  }),
  by_category: z.array(z.object({ category: z.enum(BADGE_CATEGORIES), ...tally })),
  by_rarity: z.array(z.object({ rarity: z.enum(BADGE_RARITIES), ...tally })),
  top_badges: z.array(z.object({ badge: badgeSchema, awards: z.number().int().positive() })).describe('The ten most awarded.'),
  recent_awards: z
    .array(
      z.object({
        id: z.string(),
        user_id: z.string(),
        username: z.string().nullable(),
        email: z.string().nullable(),
        badge: z.object({ slug: z.string(), name: z.string() }),
        earned_at: isoTime,
        awarded_by: z.string().nullable().describe('The staff member who awarded it; null when earned.'),
      }),
    )
    .describe('The twenty latest awards.'),
  awards_per_day: z.array(z.object({ day: z.iso.date(), awards: z.number().int().nonnegative() })).describe('The last 30 UTC days, oldest first.'),
});
