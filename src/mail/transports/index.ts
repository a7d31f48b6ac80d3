import type { Env } from '../../env';
import type { Config } from '../../config/config';
import { cloudflareTransport } from './cloudflare';
import { devTransport } from './dev';
import { httpTransport } from './http';
import { MailSendError, type MailTransport } from './types';

export { MailSendError, type MailTransport, type OutgoingMail } from './types';

/** The transport config names. The dev mailbox outside development would silently eat mail. */
export function createTransport(env: Env, config: Config): MailTransport {
  switch (config.mailTransport) {
    case 'dev':
      if (!config.isDevelopment) return refusing('dev', 'MAIL_TRANSPORT=dev outside development');
      return devTransport(env.KV);
    case 'cloudflare':
      return cloudflareTransport(env.MAILER);
    case 'http':
      return httpTransport({ url: config.mailHttpUrl, apiKey: env.MAIL_HTTP_API_KEY });
  }
}

function refusing(name: MailTransport['name'], reason: string): MailTransport {
  return {
    name,
    send: () => Promise.reject(new MailSendError(reason)),
  };
}
