import { createApp } from './app';
import type { Env } from './env';
import type { MailJob } from './mail/types';
import { handleMailBatch, handleDeadLetters, DEAD_LETTER_QUEUE } from './mail/consumer';
import { runScheduled } from './maintenance';
import { handleInboundEmail } from './mail/bounces';
import { handleJobBatch, handleJobDeadLetters, JOBS_DEAD_LETTER_QUEUE, JOBS_QUEUE } from './badges/jobs';

export { UserState } from './accounts/state/object';
export { RateLimiter } from './ratelimit/rate-limiter';

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<MailJob>, env: Env, ctx: ExecutionContext): Promise<void> {
    // Dispatch by queue name: the jobs queue (badge evaluation) first, then mail.
    if (batch.queue === JOBS_QUEUE) await handleJobBatch(batch, env, ctx);
    else if (batch.queue === JOBS_DEAD_LETTER_QUEUE) handleJobDeadLetters(batch);
    else if (batch.queue.endsWith(DEAD_LETTER_QUEUE)) await handleDeadLetters(batch, env);
    else await handleMailBatch(batch, env, ctx);
  },
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    await runScheduled(controller, env);
  },
  async email(message: ForwardableEmailMessage, env: Env, _ctx: ExecutionContext): Promise<void> {
    await handleInboundEmail(message, env);
  },
} satisfies ExportedHandler<Env, MailJob>;
