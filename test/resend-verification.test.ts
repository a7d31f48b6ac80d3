import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../src/index';
import { setClock } from '../src/clock';
import { api, registration, uniqueEmail } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { expectSameAnswer } from './otp.helpers';

afterEach(() => setClock(null));

const resend = (email: string) => api('/api/v1/auth/resend-verification', { body: { email } });

async function mailsTo(email: string): Promise<number> {
  const res = await api(`/dev/mailbox?to=${encodeURIComponent(email)}`);
  return res.body.messages.length;
}

describe('POST /api/v1/auth/resend-verification', () => {
  it('sends a new code and link and kills the previous pair', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const body = registration();
    await api('/api/v1/auth/register', { body });
    const first = await waitForMail(body.email, { subject: /verify/i });
    const oldCode = extractCode(first.text);
    const oldToken = new URL(/https?:\/\/\S+token=[\w%-]+/.exec(first.text)![0]).searchParams.get('token')!;
    now += 61_000;
    expect((await resend(body.email)).status).toBe(200);
    const second = await waitForMail(body.email, { subject: /verify/i, newerThan: first.created_at });
    const newCode = extractCode(second.text);
    if (newCode !== oldCode) {
      const stale = await api('/api/v1/auth/verify-email', { body: { email: body.email, code: oldCode } });
      expect(stale.body.error.code).toBe('otp_invalid');
    }
    const staleLink = await api('/api/v1/auth/verify-email', { body: { token: oldToken } });
    expect(staleLink.body.error.code).toBe('token_invalid');
    const ok = await api('/api/v1/auth/verify-email', { body: { email: body.email, code: newCode } });
    expect([ok.status, ok.body.message]).toEqual([200, 'Email verified.']);
  });

  it('answers the same for unknown, verified and unverified addresses', async () => {
    const body = registration();
    await api('/api/v1/auth/register', { body });
    setClock({ now: () => Date.now() + 61_000 });
    const known = await resend(body.email);
    const unknown = await resend(uniqueEmail('ghost'));
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(JSON.stringify(unknown.body)).toBe(JSON.stringify(known.body));
    expect([...unknown.headers.keys()].sort()).toEqual([...known.headers.keys()].sort());
  });

  it('keeps resends 60 s apart, with Retry-After; the registration mail does not start the spacing', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const body = registration();
    await api('/api/v1/auth/register', { body });
    // Contract change (issue 11): right after registering, a resend answers as for any address.
    expect((await resend(body.email)).status).toBe(200);
    const tooSoon = await resend(body.email);
    expect([tooSoon.status, tooSoon.body.error.code]).toEqual([429, 'rate_limited']);
    const retryAfter = Number(tooSoon.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    now += retryAfter * 1000;
    expect((await resend(body.email)).status).toBe(200);
  });

  it('right after a registration, a resend answers exactly as for an address that never registered', async () => {
    const body = registration();
    expect((await api('/api/v1/auth/register', { body })).status).toBe(201);
    const registered = await resend(body.email);
    const never = await resend(uniqueEmail('never'));
    expectSameAnswer(registered, never, 'resend right after registering');
    expect(registered.status).toBe(200);
  });

  it('allows 4 resends per hour, and the same for an address without an account', async () => {
    for (const email of [registration().email, uniqueEmail('ghost')]) {
      let now = Date.now();
      setClock({ now: () => now });
      await api('/api/v1/auth/register', { body: registration({ email }) });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        now += 61_000;
        statuses.push((await resend(email)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      now += 3600_000;
      expect((await resend(email)).status).toBe(200);
    }
  });

  it('is exact under concurrency: one of 5 parallel resends passes the spacing rule', async () => {
    const email = uniqueEmail('burst');
    const results = await Promise.all(Array.from({ length: 5 }, () => resend(email)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('repairs a registration whose mail could not be queued', async () => {
    const brokenQueue = { send: () => Promise.reject(new Error('queue unavailable')), sendBatch: () => Promise.reject(new Error('queue unavailable')) };
    const body = registration();
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request('https://gatehouse.test/api/v1/auth/register', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '192.0.2.50' },
        body: JSON.stringify(body),
      }),
      { ...env, MAIL_QUEUE: brokenQueue as unknown as Queue },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(201);
    const row = await env.DB.prepare('SELECT email_verified FROM users WHERE email = ?').bind(body.email).first();
    expect(row).toEqual({ email_verified: 0 });
    expect(await mailsTo(body.email)).toBe(0);
    // Nothing started the 60 s spacing, so a resend goes through at once and carries a working code.
    expect((await resend(body.email)).status).toBe(200);
    const mail = await waitForMail(body.email, { subject: /verify/i });
    const ok = await api('/api/v1/auth/verify-email', { body: { email: body.email, code: extractCode(mail.text) } });
    expect(ok.status).toBe(200);
  });
});
