import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import type { Env } from '../src/env';
import { api, registration } from './helpers/api';
import { waitForMail } from './helpers/mail';

async function registerProtected(body: Record<string, unknown>) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request('https://gatehouse.test/api/v1/auth/register', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `192.0.2.${Math.floor(Math.random() * 250)}` },
      body: JSON.stringify(body),
    }),
    { ...env, ENUMERATION_PROTECTION: 'true' } as Env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

describe('registration with enumeration protection on', () => {
  it('answers a taken address exactly like a new one and mails the owner instead', async () => {
    const owner = registration();
    expect((await api('/api/v1/auth/register', { body: owner })).status).toBe(201);
    const fresh = await registerProtected(registration());
    const taken = await registerProtected(registration({ email: owner.email }));
    expect(taken.status).toBe(201);
    expect(Object.keys(taken.body)).toEqual(Object.keys(fresh.body));
    expect(Object.keys(taken.body.user)).toEqual(Object.keys(fresh.body.user));
    expect(taken.body.message).toBe(fresh.body.message);
    expect(taken.body.user.email).toBe(owner.email);
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(owner.email).first<{ n: number }>();
    expect(rows!.n).toBe(1);
    await waitForMail(owner.email, { subject: /already have/i });
  });

  it('still answers 409 by default', async () => {
    const owner = registration();
    await api('/api/v1/auth/register', { body: owner });
    const again = await api('/api/v1/auth/register', { body: registration({ email: owner.email }) });
    expect([again.status, again.body.error.code]).toEqual([409, 'email_taken']);
  });
});
