import * as z from 'zod';
import { TIMEFRAMES, MAX_LIMIT } from './leaderboard';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const userBadgeListQuery = z.object({ user: z.string().trim().min(1).max(64).optional(), featured: bool.optional() });
export const featuredBody = z.strictObject({ is_featured: z.boolean() });
export const awardBody = z.strictObject({
  user_id: z.string().trim().min(1).max(64),
  badge: z.string().trim().min(1).max(64),
  reason: z.string().trim().max(500).optional(),
});
export const revokeBody = z.strictObject({ reason: z.string().trim().max(500).optional() }).optional();
export const leaderboardQuery = z.object({
  timeframe: z.enum(TIMEFRAMES).default('all_time'),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(10),
});
