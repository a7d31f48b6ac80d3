import type { Env } from '../env';
import { errorSummary, type Logger } from '../http/log';
import type { MailJob, MailTemplate, MailTemplates } from './types';

export interface MailRequest<T extends MailTemplate> {
  template: T;
  to: string;
  userId: string | null;
  data: MailTemplates[T];
}

/** A notice to an account's address, which an account without an email does not have. */
export type NoticeRequest<T extends MailTemplate> = Omit<MailRequest<T>, 'to'> & { to: string | null };

/** Puts one mail job on the queue; the consumer renders and sends it. */
export async function enqueueMail<T extends MailTemplate>(env: Env, request: MailRequest<T>, now: number): Promise<string> {
  const job = {
    id: crypto.randomUUID(),
    template: request.template,
    to: request.to,
    user_id: request.userId,
    data: request.data,
    created_at: now,
  } as MailJob;
  await env.MAIL_QUEUE.send(job, { contentType: 'json' });
  return job.id;
}

/** Who sends a best-effort mail: the bindings, the time, and a logger that names the request. */
export interface MailSender {
  env: Env;
  now: number;
  log: Logger;
}

/**
 * Queues a mail that the action it tells of does not depend on (a notice, a welcome): when
 * queueing fails the failure is logged, with the request id the logger carries, and the
 * action stands.
 */
export async function mailBestEffort<T extends MailTemplate>(sender: MailSender, request: NoticeRequest<T>, what: string): Promise<void> {
  // An account without an email (username and phone only) gets no notices.
  if (request.to === null) return;
  try {
    await enqueueMail(sender.env, { ...request, to: request.to }, sender.now);
  } catch (err) {
    sender.log.error(`${what} not queued`, { ...(request.userId ? { user_id: request.userId } : {}), ...errorSummary(err) });
  }
}
