import { env } from 'cloudflare:workers';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { getConfig } from '../src/config/config';
import { listDevMail } from '../src/mail/dev-mailbox/mailbox';
import { buildMime } from '../src/mail/mime';
import { createTransport, MailSendError, type OutgoingMail } from '../src/mail/transports';
import { cloudflareTransport } from '../src/mail/transports/cloudflare';
import { httpTransport } from '../src/mail/transports/http';

function outgoing(to = `t.${crypto.randomUUID().slice(0, 8)}@example.com`): OutgoingMail {
  const parts = { from: 'Gatehouse <no-reply@gatehouse.localhost>', to, subject: 'Your code', text: 'Code: 123456', html: '<p>Code: 123456</p>' };
  return { ...parts, raw: buildMime({ ...parts, date: new Date() }).raw };
}

/** A stand-in for a JSON mail API: checks the key, keeps what it accepted. */
function mailApi(status = 202) {
  const received: { auth: string | null; contentType: string | null; method: string; url: string; body: unknown }[] = [];
  const target = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    received.push({ auth: req.headers.get('Authorization'), contentType: req.headers.get('Content-Type'), method: req.method, url: req.url, body: await req.json() });
    return new Response(status < 300 ? '{"id":"x"}' : 'secret-bearing error page', { status });
  };
  return { received, target };
}

describe('http transport', () => {
  it('POSTs the parts as JSON with the bearer key', async () => {
    const api = mailApi();
    const mail = outgoing();
    await httpTransport({ url: 'https://mail.example/send', apiKey: 'k-123', fetch: api.target }).send(mail);
    expect(api.received).toEqual([
      {
        auth: 'Bearer k-123',
        contentType: 'application/json',
        method: 'POST',
        url: 'https://mail.example/send',
        body: { from: mail.from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html },
      },
    ]);
  });

  it('treats a non-2xx answer as a failure, without quoting the answer', async () => {
    const api = mailApi(502);
    const send = httpTransport({ url: 'https://mail.example/send', apiKey: 'k', fetch: api.target }).send(outgoing());
    await expect(send).rejects.toThrow(new MailSendError('mail API answered 502'));
  });

  it('fails when the API cannot be reached (a real connection, refused)', async () => {
    const send = httpTransport({ url: 'http://127.0.0.1:9/send', apiKey: 'k' }).send(outgoing());
    await expect(send).rejects.toThrow(/mail API unreachable/);
  });

  it('fails without a URL or key', async () => {
    await expect(httpTransport({ url: undefined, apiKey: 'k' }).send(outgoing())).rejects.toThrow(MailSendError);
    await expect(httpTransport({ url: 'https://mail.example', apiKey: undefined }).send(outgoing())).rejects.toThrow(MailSendError);
  });
});

describe('cloudflare transport', () => {
  it('hands raw MIME to the local send_email binding', async () => {
    await expect(cloudflareTransport(env.MAILER).send(outgoing())).resolves.toBeUndefined();
  });

  it('fails, without quoting the binding, when it refuses the message', async () => {
    const mail = { ...outgoing(), raw: 'not a MIME message' };
    await expect(cloudflareTransport(env.MAILER).send(mail)).rejects.toThrow(/^send_email refused the message/);
  });

  it('fails when the binding is missing', async () => {
    await expect(cloudflareTransport(undefined).send(outgoing())).rejects.toThrow(MailSendError);
  });
});

describe('dev transport', () => {
  it('keeps the message in the dev mailbox', async () => {
    const mail = outgoing('Dev.Box@Example.com');
    await createTransport(env, getConfig(env)).send(mail);
    const [kept] = await listDevMail(env.KV, 'dev.box@example.com');
    expect(kept).toMatchObject({ to: mail.to, from: mail.from, subject: mail.subject, text: mail.text, html: mail.html, raw: mail.raw });
    expect(new Date(kept!.created_at).toISOString()).toBe(kept!.created_at);
    expect((await PostalMime.parse(kept!.raw)).text).toContain('123456');
  });

  it('refuses to act outside development', async () => {
    const production = { ...env, ENVIRONMENT: 'production', MAIL_TRANSPORT: 'dev' };
    await expect(createTransport(production, getConfig(production)).send(outgoing())).rejects.toThrow(/outside development/);
  });
});
