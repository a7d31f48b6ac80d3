import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { afterResponse } from '../http/after-response';
import type { FollowRow } from '../db/schema';
import type { Fact } from './criteria';
import { requestBadgeEvaluation } from './jobs';

export { requestBadgeEvaluation } from './jobs';

/** What a sign-in can change: the login streak, the day's activity, the count of sign-ins. */
export const SIGN_IN_FACTS: Fact[] = ['login_streak', 'activity', 'event:login_succeeded'];

/**
 * An accepted follow moves both users' counts: the followed user's follower_count (and a
 * `follow` event about them), the follower's following_count (and their activity). One
 * queue message each, sent after the response.
 */
export function evaluateAfterFollow(c: Context<AppEnv>, row: Pick<FollowRow, 'followerId' | 'followedId'>): void {
  const sender = { env: c.env, log: c.get('log') };
  afterResponse(c, 'badge evaluation request', async () => {
    await Promise.all([
      requestBadgeEvaluation(sender, row.followedId, ['follower_count', 'event:follow']),
      requestBadgeEvaluation(sender, row.followerId, ['following_count', 'activity']),
    ]);
  });
}
