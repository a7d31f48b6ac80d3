import type { Env } from '../env';
import { getConfig, type MailTransportName } from '../config/config';
import { clock } from '../clock';
import { buildMime } from './mime';
import { renderMail } from './templates';
import { createTransport, type MailTransport } from './transports';
import type { MailJob } from './types';

export interface Delivered {
  transport: MailTransport;
  /**
   * The Message-ID header of what was sent, as written ("<…@…>"); null when the transport
   * does not send our MIME (the HTTP API gets the parts and its provider picks the ID).
   */
  messageId: string | null;
}

/** Transports that send the raw MIME we build, Message-ID included. */
const SENDS_OUR_MIME: ReadonlySet<MailTransportName> = new Set(['cloudflare', 'dev']);

/** Renders a job and hands it to the configured transport. */
export async function deliver(job: MailJob, env: Env): Promise<Delivered> {
  const config = getConfig(env);
  const rendered = renderMail(job, config);
  const from = config.mailFrom;
  const { raw, messageId } = buildMime({ from, to: job.to, ...rendered, date: new Date(clock.now()) });
  const transport = createTransport(env, config);
  await transport.send({ from, to: job.to, ...rendered, raw });
  return { transport, messageId: SENDS_OUR_MIME.has(transport.name) ? messageId : null };
}
