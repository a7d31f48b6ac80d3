import { EmailMessage } from 'cloudflare:email';
import { parseMailbox } from '../address';
import { MailSendError, type MailTransport } from './types';

/** Cloudflare Email Service through the send_email binding, as raw MIME. */
export function cloudflareTransport(mailer: SendEmail | undefined): MailTransport {
  return {
    name: 'cloudflare',
    async send(mail) {
      if (!mailer) throw new MailSendError('the MAILER send_email binding is missing');
      const envelopeFrom = parseMailbox(mail.from).address;
      try {
        await mailer.send(new EmailMessage(envelopeFrom, mail.to, mail.raw));
      } catch (err) {
        // The binding's message can quote the recipient; keep only its kind.
        throw new MailSendError(`send_email refused the message (${err instanceof Error ? err.name : 'error'})`);
      }
    },
  };
}
