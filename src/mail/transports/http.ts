import { MailSendError, type MailTransport } from './types';

export interface HttpTransportOptions {
  url: string | undefined;
  apiKey: string | undefined;
  /** The outbound fetch; tests hand in a local target. */
  fetch?: typeof fetch;
}

/** A mail API that takes JSON: POST {from, to, subject, text, html} with a bearer key. */
export function httpTransport(options: HttpTransportOptions): MailTransport {
  const send = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    name: 'http',
    async send(mail) {
      if (!options.url || !options.apiKey) throw new MailSendError('MAIL_HTTP_URL or MAIL_HTTP_API_KEY is not set');
      const request = buildHttpRequest(options.url, options.apiKey, mail);
      let res: Response;
      try {
        res = await send(request);
      } catch (err) {
        throw new MailSendError(`mail API unreachable (${err instanceof Error ? err.name : 'error'})`);
      }
      // Drain the body so the connection can be reused; its content is not trusted for logs.
      await res.body?.cancel();
      if (!res.ok) throw new MailSendError(`mail API answered ${res.status}`);
    },
  };
}

export function buildHttpRequest(url: string, apiKey: string, mail: { from: string; to: string; subject: string; text: string; html: string }): Request {
  return new Request(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html }),
  });
}
