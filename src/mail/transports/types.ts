import type { MailTransportName } from '../../config/config';

/** A rendered message, ready for any transport: the parts and the same as raw MIME. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface MailTransport {
  readonly name: MailTransportName;
  /** Resolves once the message is accepted; throws when it was not (the job is retried). */
  send(mail: OutgoingMail): Promise<void>;
}

/** A send that failed; its message is safe to log (no addresses, keys or bodies). */
export class MailSendError extends Error {
  override name = 'MailSendError';
}
