/**
 * Messages of the jobs queue (binding JOBS_QUEUE, queue `gatehouse-jobs`). Plain types with
 * no imports: env.ts names them for its binding.
 */

/** Evaluate one user's badges; `facts` are what changed (null: every automatic badge, as the sweep asks). */
export interface EvaluateBadgesJob {
  kind: 'evaluate_badges';
  user_id: string;
  facts: string[] | null;
}

/** One page of the daily sweep: the users after `after` (by id), then the next page. */
export interface BadgeSweepPageJob {
  kind: 'badge_sweep_page';
  after: string | null;
  page_size: number;
}

export type JobMessage = EvaluateBadgesJob | BadgeSweepPageJob;
