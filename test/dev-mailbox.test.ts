import { env, exports } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { getConfig, missingSecrets } from '../src/config/config';
import { saveDevMail, type DevMail } from '../src/mail/dev-mailbox/mailbox';
import { clearMailbox, readMailbox } from './helpers/mail';

const mailbox = (query: string, init?: RequestInit) => exports.default.fetch(`https://gatehouse.test/dev/mailbox${query}`, init);

function devMail(to: string, subject: string, at: number): DevMail {
  return { to, from: 'Gatehouse <no-reply@gatehouse.localhost>', subject, text: subject, html: `<p>${subject}</p>`, raw: 'raw', created_at: new Date(at).toISOString() };
}

describe('GET /dev/mailbox', () => {
  it('lists the messages of one address, newest first, with every field', async () => {
    const to = 'newest.first@example.com';
    const t = Date.UTC(2026, 8, 1);
    await saveDevMail(env.KV, devMail(to, 'second', t + 1000), t + 1000);
    await saveDevMail(env.KV, devMail(to, 'first', t), t);
    await saveDevMail(env.KV, devMail(to, 'third', t + 2000), t + 2000);
    await saveDevMail(env.KV, devMail('someone.else@example.com', 'not yours', t), t);
    const res = await mailbox(`?to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { messages: DevMail[] };
    expect(body.messages.map((m) => m.subject)).toEqual(['third', 'second', 'first']);
    expect(Object.keys(body.messages[0]!).sort()).toEqual(['created_at', 'from', 'html', 'raw', 'subject', 'text', 'to']);
    expect(body.messages[0]!.created_at).toBe(new Date(t + 2000).toISOString());
  });

  it('orders messages stored in the same millisecond by arrival', async () => {
    const to = 'same.ms@example.com';
    const t = Date.UTC(2026, 8, 1);
    for (const subject of ['a', 'b', 'c']) await saveDevMail(env.KV, devMail(to, subject, t), t);
    expect((await readMailbox(to)).map((m) => m.subject)).toEqual(['c', 'b', 'a']);
  });

  it('trims and lower-cases the address', async () => {
    const t = Date.now();
    await saveDevMail(env.KV, devMail('Mixed.Case@Example.com', 'hello', t), t);
    const res = await mailbox(`?to=${encodeURIComponent('  MIXED.case@example.COM ')}`);
    expect(((await res.json()) as { messages: DevMail[] }).messages.map((m) => m.subject)).toEqual(['hello']);
  });

  it('answers an empty list for an address without mail', async () => {
    expect(await readMailbox('nobody@example.com')).toEqual([]);
  });

  it('needs the to parameter', async () => {
    for (const query of ['', '?to=', '?to=%20%20']) {
      const res = await mailbox(query);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; fields: Record<string, string[]> } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.fields.to).toHaveLength(1);
    }
  });

  it('DELETE clears one address only', async () => {
    const t = Date.now();
    await saveDevMail(env.KV, devMail('clear.me@example.com', 'x', t), t);
    await saveDevMail(env.KV, devMail('keep.me@example.com', 'y', t), t);
    await clearMailbox('Clear.Me@example.com');
    expect(await readMailbox('clear.me@example.com')).toEqual([]);
    expect(await readMailbox('keep.me@example.com')).toHaveLength(1);
  });

  it('is 404 outside development, for every method', async () => {
    // Production refuses to serve without its secrets (missingSecrets); presence is all it checks.
    const production = { ...env, ENVIRONMENT: 'production', MAIL_TRANSPORT: 'cloudflare', JWT_PRIVATE_JWKS: 'present', MFA_ENCRYPTION_KEY: 'present', AUDIT_HASH_KEY: 'present' };
    expect(missingSecrets(production, getConfig(production)), 'production config for this test').toEqual([]);
    await saveDevMail(env.KV, devMail('prod@example.com', 'secret code', Date.now()), Date.now());
    for (const method of ['GET', 'DELETE']) {
      const request = new Request('https://gatehouse.test/dev/mailbox?to=prod@example.com', { method });
      const res = await worker.fetch(request, production, createExecutionContext());
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });
});
