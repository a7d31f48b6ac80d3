import * as z from 'zod';

/**
 * Badge criteria: what a user must reach to earn a badge. Saved as JSON on the badge and
 * validated here when saved (anything else is 400); `assess` (assess.ts) reads the same
 * shapes to answer both "met?" and "how far?".
 */

/** The figures a counter or a requirement may name (API.md "Badges": the field allowlist). */
export const CRITERIA_FIELDS = [
  'follower_count',
  'following_count',
  'posts_count',
  'engagement_score',
  'content_quality_score',
  'interaction_frequency',
  'badge_points',
  'days_since_join',
  'login_streak',
] as const;
export type CriteriaField = (typeof CRITERIA_FIELDS)[number];

export const OPERATORS = ['>=', '>', '=', '<=', '<'] as const;
export type Operator = (typeof OPERATORS)[number];

/** What social_interaction may count (daily_activity keeps likes, comments, shares, reviews, votes and follows in one column). */
export const INTERACTION_KINDS = ['like', 'comment', 'share', 'review', 'helpful_vote', 'follow', 'client_event'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

/** `all_time`, or a number of days or hours back from now: `7d`, `30d`, `24h`. */
const timeframe = z.string().regex(/^(all_time|[1-9]\d{0,3}[dh])$/, 'Use all_time or a number of days or hours, e.g. 7d or 24h.');
/** Event types as the audit log spells them. */
const eventType = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'An event type in snake_case.');
const count = z.number().int().min(1).max(1_000_000_000);

export const counterCriteria = z.strictObject({ type: z.literal('counter'), field: z.enum(CRITERIA_FIELDS), threshold: z.number().min(0).max(1e12) });
export const consecutiveDaysCriteria = z.strictObject({ type: z.literal('consecutive_days'), action: z.enum(['login', 'post']), days: z.number().int().min(1).max(3650) });
export const requirement = z.strictObject({ field: z.enum(CRITERIA_FIELDS), operator: z.enum(OPERATORS), value: z.number().min(0).max(1e12) });
export const multiCriteria = z.strictObject({
  type: z.literal('multi_criteria'),
  requirements: z.array(requirement).min(1).max(10),
  logic: z.enum(['AND', 'OR']),
});
export const eventBasedCriteria = z.strictObject({ type: z.literal('event_based'), event_type: eventType, count, timeframe: timeframe.optional() });
export const socialInteractionCriteria = z.strictObject({
  type: z.literal('social_interaction'),
  interactions: z.array(z.enum(INTERACTION_KINDS)).min(1).max(INTERACTION_KINDS.length),
  min_count: count,
  timeframe,
});
export const joinRankCriteria = z.strictObject({ type: z.literal('join_rank'), max: z.number().int().min(1).max(10_000_000) });
export const manualCriteria = z.strictObject({ type: z.literal('manual') });

export const criteriaSchema = z.discriminatedUnion('type', [
  counterCriteria,
  consecutiveDaysCriteria,
  multiCriteria,
  eventBasedCriteria,
  socialInteractionCriteria,
  joinRankCriteria,
  manualCriteria,
]);
export type Criteria = z.infer<typeof criteriaSchema>;
export type CriteriaType = Criteria['type'];

/**
 * A fact that changed for a user: a figure, or an event type that was recorded. Queue
 * messages carry these so only the badges that read them are evaluated.
 */
export type Fact = CriteriaField | 'activity' | 'join' | `event:${string}`;

/** Which facts a criteria reads: the badges to evaluate when those change. */
export function factsRead(criteria: Criteria): Fact[] {
  switch (criteria.type) {
    case 'counter':
      return [criteria.field];
    case 'multi_criteria':
      return [...new Set(criteria.requirements.map((r) => r.field))];
    case 'consecutive_days':
      return criteria.action === 'login' ? ['login_streak', 'activity'] : ['posts_count', 'activity'];
    case 'event_based':
      return [`event:${criteria.event_type}`];
    case 'social_interaction':
      return ['activity'];
    case 'join_rank':
      return ['join'];
    case 'manual':
      return [];
  }
}

/** Whether a badge with this criteria must be evaluated after these facts changed (no facts: all of them, as the sweep does). */
export function readsAny(criteria: Criteria, facts: readonly Fact[] | undefined): boolean {
  const read = factsRead(criteria);
  if (read.length === 0) return false;
  if (!facts) return true;
  return read.some((f) => facts.includes(f));
}

/** Parses stored criteria; a row that no longer parses (hand-edited) counts as manual and is never awarded automatically. */
export function parseStoredCriteria(json: string): Criteria {
  try {
    const parsed = criteriaSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : { type: 'manual' };
  } catch {
    return { type: 'manual' };
  }
}

/** Milliseconds a timeframe reaches back, or null for all time. */
export function timeframeMs(tf: string | undefined): number | null {
  if (!tf || tf === 'all_time') return null;
  const n = Number(tf.slice(0, -1));
  return tf.endsWith('h') ? n * 3600_000 : n * 86_400_000;
}
