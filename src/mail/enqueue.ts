import type { Env } from '../env';
import type { MailJob, MailTemplate, MailTemplates } from './types';

export interface MailRequest<T extends MailTemplate> {
  template: T;
  to: string;
  userId: string | null;
  data: MailTemplates[T];
}

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
