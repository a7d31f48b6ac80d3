import type { Env } from '../env';
import { getConfig } from '../config/config';
import { clock } from '../clock';
import { buildMime } from './mime';
import { renderMail } from './templates';
import { createTransport, type MailTransport } from './transports';
import type { MailJob } from './types';

export interface Delivered {
  transport: MailTransport;
  /** The Message-ID header of what was sent, as written ("<…@…>"). */
  messageId: string;
}

/** Renders a job and hands it to the configured transport. */
export async function deliver(job: MailJob, env: Env): Promise<Delivered> {
  const config = getConfig(env);
  const rendered = renderMail(job, config);
  const from = config.mailFrom;
  const { raw, messageId } = buildMime({ from, to: job.to, ...rendered, date: new Date(clock.now()) });
  const transport = createTransport(env, config);
  await transport.send({ from, to: job.to, ...rendered, raw });
  return { transport, messageId };
}
