import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import type { Env } from '../src/env';
import type { MailJob } from '../src/mail/types';
import { api, registration, uniqueEmail, type ApiResponse } from './helpers/api';
import { waitForMail } from './helpers/mail';
import { expectSameAnswer } from './otp.helpers';

const PROTECTED = { ENUMERATION_PROTECTION: 'true' };

interface Registered extends ApiResponse {
  /** Milliseconds until the response (not its waitUntil work) was there. */
  ms: number;
}

/** POST /auth/register straight to the Worker, waiting for its waitUntil work too. */
async function registerWith(body: Record<string, unknown>, vars: Partial<Env> = PROTECTED, ip = `192.0.2.${Math.floor(Math.random() * 250)}`): Promise<Registered> {
  const ctx = createExecutionContext();
  const started = performance.now();
  const res = await worker.fetch(
    new Request('https://gatehouse.test/api/v1/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
      body: JSON.stringify(body),
    }),
    { ...env, ...vars } as Env,
    ctx,
  );
  const ms = performance.now() - started;
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as any, headers: res.headers, ms };
}

const registerProtected = (body: Record<string, unknown>) => registerWith(body);

/** The same answer, except for what differs between any two registrations (the id). */
function expectSameRegistration(actual: ApiResponse, expected: ApiResponse, label: string) {
  // The top-level id/user_id/email (issue 16) differ per registration like the user's own.
  const withoutId = (r: ApiResponse) => ({ ...r, body: { ...r.body, id: 'x', user_id: 'x', email: 'x', user: { ...r.body.user, id: 'x', email: 'x', username: 'x', phone_number: 'x', date_joined: 'x' } } });
  expectSameAnswer(withoutId(actual), withoutId(expected), label);
}

/** A queue whose sends wait until `open()`: a response that needs a send cannot arrive before. */
function gatedQueue() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const sent: MailJob[] = [];
  const queue = {
    send: async (job: MailJob) => {
      await gate;
      sent.push(job);
    },
    sendBatch: async () => gate,
  } as unknown as Queue;
  return { queue, sent, open };
}

/** A registered account with a username and a phone number. */
async function owner(): Promise<{ email: string; username: string; phone_number: string }> {
  const username = `owner_${crypto.randomUUID().slice(0, 8)}`;
  const phone_number = `+1415556${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  const body = registration({ username, phone_number });
  const res = await api('/api/v1/auth/register', { body });
  expect(res.status).toBe(201);
  return { email: body.email, username, phone_number };
}

describe('registration with enumeration protection on', () => {
  it('answers a taken address exactly like a new one and mails the owner instead', async () => {
    const existing = registration();
    expect((await api('/api/v1/auth/register', { body: existing })).status).toBe(201);
    const fresh = await registerProtected(registration());
    const taken = await registerProtected(registration({ email: existing.email }));
    expectSameRegistration(taken, fresh, 'taken address');
    expect(taken.status).toBe(201);
    expect(taken.body.user.email).toBe(existing.email);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(existing.email).first<{ n: number }>();
    expect(rows!.n).toBe(1);
    await waitForMail(existing.email, { subject: /already have/i });
  });

  it('takes the duplicate path whatever else collides: a taken username or phone gives nothing away', async () => {
    const taken = await owner();
    const fresh = await registerProtected(registration({ username: `new_${crypto.randomUUID().slice(0, 8)}` }));
    const cases = {
      'taken email and username': registration({ email: taken.email, username: taken.username }),
      'taken email and phone': registration({ email: taken.email, phone_number: taken.phone_number }),
      'taken email, username and phone': registration({ email: taken.email, username: taken.username, phone_number: taken.phone_number }),
      // Another account's username with this account's address: still only the address counts.
      'taken email and another account username': registration({ email: taken.email, username: (await owner()).username }),
    };
    for (const [label, body] of Object.entries(cases)) {
      const res = await registerProtected(body);
      expectSameRegistration(res, fresh, label);
    }
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(taken.email).first<{ n: number }>();
    expect(rows!.n).toBe(1);
    await waitForMail(taken.email, { subject: /already have/i });
  });

  it('parallel registrations of one new address: one account, and every answer a 201 alike', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => registerWith(registration({ email }), PROTECTED, `198.18.${Math.floor(Math.random() * 250)}.${i}`)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    for (const r of results) expectSameRegistration(r, results[0]!, 'parallel registration');
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(email).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });

  it('a new address with a taken username still answers username_taken (it says nothing about addresses)', async () => {
    const taken = await owner();
    const res = await registerProtected(registration({ username: taken.username }));
    expect([res.status, res.body.error.code]).toEqual([409, 'username_taken']);
  });

  it('both paths queue their mail after the response, never before it', async () => {
    const taken = await owner();
    for (const [label, body, template] of [
      ['new address', registration(), 'verify_email'],
      ['taken address', registration({ email: taken.email, username: taken.username }), 'account_exists'],
    ] as const) {
      const { queue, sent, open } = gatedQueue();
      const ctx = createExecutionContext();
      const response = worker.fetch(
        new Request('https://gatehouse.test/api/v1/auth/register', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `192.0.2.${Math.floor(Math.random() * 250)}` },
          body: JSON.stringify(body),
        }),
        { ...env, ...PROTECTED, MAIL_QUEUE: queue } as Env,
        ctx,
      );
      const timeout = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 5000));
      const first = await Promise.race([response, timeout]);
      expect(first === 'blocked' ? first : first.status, label).toBe(201);
      expect(sent, label).toEqual([]);
      open();
      await waitOnExecutionContext(ctx);
      expect(sent.map((job) => [job.template, job.to]), label).toEqual([[template, body.email]]);
    }
  });

  it('both paths take about as long: the password is hashed on both (timing class)', async () => {
    const taken = await owner();
    const times: Record<'fresh' | 'taken', number[]> = { fresh: [], taken: [] };
    for (let i = 0; i < 5; i++) {
      times.fresh.push((await registerProtected(registration())).ms);
      times.taken.push((await registerProtected(registration({ email: taken.email }))).ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Loose on purpose (shared CPU): skipping the hash on one path makes it several times faster.
    const ratio = median(times.taken) / median(times.fresh);
    expect(ratio, JSON.stringify(times)).toBeGreaterThan(0.5);
    expect(ratio, JSON.stringify(times)).toBeLessThan(2);
  });

  it('a resend right after either registration answers exactly as for an address never registered', async () => {
    const taken = await owner();
    const freshBody = registration();
    expect((await registerProtected(freshBody)).status).toBe(201);
    expect((await registerProtected(registration({ email: taken.email }))).status).toBe(201);
    const resend = (email: string) => api('/api/v1/auth/resend-verification', { body: { email } });
    const never = await resend(uniqueEmail('never'));
    expectSameAnswer(await resend(freshBody.email), never, 'new registration');
    expectSameAnswer(await resend(taken.email), never, 'duplicate registration');
    expect(never.status).toBe(200);
  });
});

describe('registration with enumeration protection off', () => {
  it('still answers 409 by default', async () => {
    const existing = registration();
    await api('/api/v1/auth/register', { body: existing });
    const again = await api('/api/v1/auth/register', { body: registration({ email: existing.email }) });
    expect([again.status, again.body.error.code]).toEqual([409, 'email_taken']);
  });

  it('a resend right after registering answers as for an address never registered', async () => {
    const body = registration();
    expect((await registerWith(body, {})).status).toBe(201);
    const resend = (email: string) => api('/api/v1/auth/resend-verification', { body: { email } });
    expectSameAnswer(await resend(body.email), await resend(uniqueEmail('never')), 'right after registering');
  });
});
