import type { Env } from '../env';
import { clock } from '../clock';
import { getConfig } from '../config/config';
import { createDb } from '../db/client';
import { createLogger, errorSummary, type Logger } from '../http/log';
import type { RequestContext } from '../http/request-context';
import type { Fact } from './criteria';
import type { EvaluateBadgesJob, JobMessage } from './job-types';
import { evaluateUser } from './evaluate';
import { sweepPage } from './sweep';

export const JOBS_QUEUE = 'gatehouse-jobs';
export const JOBS_DEAD_LETTER_QUEUE = 'gatehouse-jobs-dlq';

/** What a producer needs: the bindings and (optionally) a logger that names the request. */
export interface JobSender {
  env: Env;
  log?: Logger;
}

/**
 * Asks for one user's badges to be evaluated after `facts` changed (e.g. follower_count,
 * `event:post_create`, login_streak). Best effort: a queueing failure is logged and the
 * action that caused it stands — the daily sweep evaluates everyone anyway.
 */
export async function requestBadgeEvaluation(ctx: JobSender, userId: string, facts: readonly Fact[]): Promise<void> {
  const job: EvaluateBadgesJob = { kind: 'evaluate_badges', user_id: userId, facts: [...new Set(facts)] };
  try {
    await ctx.env.JOBS_QUEUE.send(job, { contentType: 'json' });
  } catch (err) {
    (ctx.log ?? createLogger({ component: 'badges' })).error('badge evaluation not queued', { user_id: userId, ...errorSummary(err) });
  }
}

/**
 * The context of queue work: no request, so no IP; the time is read once per batch. Deferred
 * work goes to the invocation's waitUntil when there is one (a queue batch), else it runs now.
 */
export function systemContext(env: Env, log: Logger, execution?: Pick<ExecutionContext, 'waitUntil'>): RequestContext {
  const defer = (label: string, work: () => Promise<unknown>) => {
    const running = work().catch((err: unknown) => log.error(`${label} failed`, errorSummary(err)));
    execution?.waitUntil(running);
  };
  const db = createDb(env.DB);
  return { env, config: getConfig(env), db, primary: db, meta: { ip: '', userAgent: null }, now: clock.now(), log, defer };
}

function isJob(body: unknown): body is JobMessage {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  if (b.kind === 'evaluate_badges') return typeof b.user_id === 'string' && (b.facts === null || (Array.isArray(b.facts) && b.facts.every((f) => typeof f === 'string')));
  if (b.kind === 'badge_sweep_page') return (b.after === null || typeof b.after === 'string') && Number.isInteger(b.page_size);
  return false;
}

/**
 * The jobs queue's consumer (src/index.ts dispatches here by queue name). Each message is
 * acknowledged or retried on its own; a message that is not a job is dropped with a log line.
 */
export async function handleJobBatch(batch: MessageBatch<unknown>, env: Env, execution?: ExecutionContext): Promise<void> {
  const log = createLogger({ component: 'jobs', queue: batch.queue });
  const ctx = systemContext(env, log, execution);
  for (const message of batch.messages) {
    const body = message.body;
    if (!isJob(body)) {
      log.warn('not a job: dropped', { message_id: message.id });
      message.ack();
      continue;
    }
    try {
      if (body.kind === 'evaluate_badges') {
        const awarded = await evaluateUser(ctx, body.user_id, body.facts as Fact[] | null);
        if (awarded.length) log.info('badges awarded', { user_id: body.user_id, badges: awarded.join(',') });
      } else {
        await sweepPage(ctx, body.after, body.page_size);
      }
      message.ack();
    } catch (err) {
      log.error('job failed', { kind: body.kind, ...errorSummary(err) });
      message.retry();
    }
  }
}

/** Jobs that ran out of retries: logged and dropped (the next daily sweep evaluates the user again). */
export function handleJobDeadLetters(batch: MessageBatch<unknown>): void {
  const log = createLogger({ component: 'jobs', queue: batch.queue });
  for (const message of batch.messages) {
    log.error('job dead-lettered', { message_id: message.id, kind: String((message.body as { kind?: unknown })?.kind ?? '') });
    message.ack();
  }
}
