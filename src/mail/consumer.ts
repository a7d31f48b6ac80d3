import type { Env } from '../env';
import { clock } from '../clock';
import { createDb, type Db } from '../db/client';
import { createLogger, maskEmail, type Logger } from '../http/log';
import { retryDelaySeconds } from './backoff';
import { deliver } from './deliver';
import { describeError } from './errors';
import { parseMailJob } from './job';
import { readLastError, rememberLastError } from './last-error';
import { isDelivered, recordDelivery, recordFailure, type MailFailure } from './records';
import { MailRenderError } from './templates';
import { suppressionFor } from './bounces/suppressions';
import type { MailJob } from './types';

export const DEAD_LETTER_QUEUE = '-dlq';

/**
 * Sends each job once: a job already in mail_deliveries (a redelivered message) is only
 * acked. Failed sends are retried with growing delays; after the queue's max_retries the
 * message moves to the dead-letter queue, and handleDeadLetters records it.
 */
export async function handleMailBatch(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  const db = createDb(env.DB);
  const log = createLogger({ component: 'mail', queue: batch.queue });
  // One at a time: two copies of a job in one batch must not both pass the delivery check.
  for (const message of batch.messages) await processMessage(message, env, db, log);
}

async function processMessage(message: Message<unknown>, env: Env, db: Db, log: Logger): Promise<void> {
  const job = parseMailJob(message.body);
  if (!job) {
    // Retrying cannot fix a body that is not a MailJob.
    log.error('mail job malformed, dropped', { queue_message_id: message.id, attempts: message.attempts });
    return message.ack();
  }
  const facts = jobFacts(job, message.attempts);
  try {
    if (await isDelivered(db, job.id)) {
      log.info('mail already delivered, skipped', facts);
      return message.ack();
    }
    const suppressed = await suppressionFor(db, job);
    if (suppressed) {
      // Recorded with the failed mail, so admins see why it was not sent.
      await recordFailure(db, failureOf(job, `suppressed: ${suppressed.reason}`, message.attempts), clock.now());
      log.info('mail not sent: address suppressed', { ...facts, suppression: suppressed.kind });
      return message.ack();
    }
    const { transport, messageId } = await deliver(job, env);
    await recordDelivery(db, job, transport.name, messageId, clock.now());
    log.info('mail sent', { ...facts, transport: transport.name });
    message.ack();
  } catch (err) {
    if (err instanceof MailRenderError) return dropAsFailed(message, job, err, env, db, log);
    await retryLater(message, job, err, env, log);
  }
}

async function retryLater(message: Message<unknown>, job: MailJob, err: unknown, env: Env, log: Logger): Promise<void> {
  const delaySeconds = retryDelaySeconds(message.attempts);
  const error = describeError(err);
  log.warn('mail send failed, will retry', { ...jobFacts(job, message.attempts), delay_seconds: delaySeconds, error });
  try {
    await rememberLastError(env.KV, job.id, { error, attempts: message.attempts });
  } catch {
    // Only the failure record's detail is lost; the retry itself matters more.
  }
  message.retry({ delaySeconds });
}

/** A job whose data cannot be rendered fails the same way every time: record it now. */
async function dropAsFailed(message: Message<unknown>, job: MailJob, err: unknown, env: Env, db: Db, log: Logger): Promise<void> {
  const error = describeError(err);
  try {
    await recordFailure(db, failureOf(job, error, message.attempts), clock.now());
  } catch (recordErr) {
    return retryLater(message, job, recordErr, env, log);
  }
  log.error('mail cannot be rendered, recorded as failed', { ...jobFacts(job, message.attempts), error });
  message.ack();
}

/** Records every dead letter in mail_failures (once per job), so no mail is lost silently. */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB);
  const log = createLogger({ component: 'mail', queue: batch.queue });
  for (const message of batch.messages) {
    try {
      const failure = await deadLetterFailure(message, env);
      await recordFailure(db, failure, clock.now());
      log.error('mail delivery failed for good', { job_id: failure.messageId, template: failure.template, to: maskEmail(failure.recipient), attempts: failure.attempts });
      message.ack();
    } catch (err) {
      log.error('dead letter not recorded, will retry', { queue_message_id: message.id, error: describeError(err) });
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
}

async function deadLetterFailure(message: Message<unknown>, env: Env): Promise<MailFailure> {
  const job = parseMailJob(message.body);
  if (!job) return { messageId: message.id, template: 'malformed', recipient: '', userId: null, error: 'malformed mail job', attempts: message.attempts };
  const last = await readLastError(env.KV, job.id).catch(() => null);
  return failureOf(job, last?.error ?? 'retries exhausted', last?.attempts ?? message.attempts);
}

/** What a log line may say about a job: never its data (codes, links) or full address. */
function jobFacts(job: MailJob, attempts: number): Record<string, unknown> {
  return { job_id: job.id, template: job.template, to: maskEmail(job.to), attempts };
}

function failureOf(job: MailJob, error: string, attempts: number): MailFailure {
  return { messageId: job.id, template: job.template, recipient: job.to, userId: job.user_id, error, attempts };
}
