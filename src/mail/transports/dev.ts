import { clock } from '../../clock';
import { saveDevMail } from '../dev-mailbox/mailbox';
import type { MailTransport } from './types';

/** Development: nothing leaves the machine; the message lands in the dev mailbox. */
export function devTransport(kv: KVNamespace): MailTransport {
  return {
    name: 'dev',
    async send(mail) {
      const now = clock.now();
      await saveDevMail(kv, { ...mail, created_at: new Date(now).toISOString() }, now);
    },
  };
}
