import type { RequestContext } from '../../http/request-context';
import { requestBadgeEvaluation } from '../../badges/jobs';
import type { Fact } from '../../badges/criteria';
import type { ContentEvent } from './schemas';

/**
 * What ingested content events changed for each user they touched (authors and targets),
 * in the terms badge criteria read: the author's posts and activity, everyone's
 * `event:<type>` counts. Only the users whose events were new (duplicates changed nothing).
 */
export function factsOfContentEvents(events: readonly ContentEvent[], created: ReadonlySet<number>): Map<string, Set<Fact>> {
  const facts = new Map<string, Set<Fact>>();
  const add = (userId: string, ...more: Fact[]) => {
    const set = facts.get(userId) ?? new Set<Fact>();
    for (const fact of more) set.add(fact);
    facts.set(userId, set);
  };
  events.forEach((event, i) => {
    if (!created.has(i)) return;
    add(event.user_id, 'activity', `event:${event.event_type}`, ...(event.event_type.startsWith('post_') ? (['posts_count'] as Fact[]) : []));
    if (event.target_user) add(event.target_user, 'activity', `event:${event.event_type}`);
  });
  return facts;
}

/**
 * THE hook after ingested content events: one badge evaluation request per touched user,
 * naming what changed (badges/jobs.ts; queued, best effort — the daily sweep catches a
 * request that could not be queued).
 */
export async function afterContentEvents(ctx: RequestContext, facts: Map<string, Set<Fact>>): Promise<void> {
  await Promise.all([...facts].map(([userId, changed]) => requestBadgeEvaluation(ctx, userId, [...changed])));
}
