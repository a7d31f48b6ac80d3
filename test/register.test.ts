import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, randomIp, registration, uniqueEmail, STRONG_PASSWORD } from './helpers/api';

const USER_KEYS = [
  'id', 'email', 'username', 'phone_number', 'first_name', 'last_name', 'role',
  'is_active', 'email_verified', 'mfa_enabled', 'date_joined', 'last_login',
];

describe('POST /api/v1/auth/register', () => {
  it('creates an unverified user with a profile, history entry, device and audit event', async () => {
    const body = registration({
      email: '  New.Person@Example.COM ',
      username: 'NewPerson',
      phone_number: '+44 20 7946 0958',
      device: { fingerprint_hash: 'fp-1', device_type: 'desktop', browser: 'Firefox', os: 'Linux' },
    });
    const res = await api('/api/v1/auth/register', { body });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.user).sort()).toEqual([...USER_KEYS].sort());
    expect(res.body.user).toMatchObject({
      email: 'new.person@example.com',
      username: 'NewPerson',
      phone_number: '+442079460958',
      role: 'user',
      is_active: true,
      email_verified: false,
      mfa_enabled: false,
      last_login: null,
    });
    expect(typeof res.body.message).toBe('string');
    const id = res.body.user.id as string;
    const counts = await env.DB.batch([
      env.DB.prepare('SELECT count(*) AS n FROM profiles WHERE user_id = ?').bind(id),
      env.DB.prepare('SELECT count(*) AS n FROM password_history WHERE user_id = ?').bind(id),
      env.DB.prepare('SELECT count(*) AS n FROM devices WHERE user_id = ? AND fingerprint_hash = ?').bind(id, 'fp-1'),
      env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'user_registered'").bind(id),
    ]);
    expect(counts.map((r) => (r.results[0] as { n: number }).n)).toEqual([1, 1, 1, 1]);
  });

  it('never returns or stores the plain password', async () => {
    const body = registration();
    const res = await api('/api/v1/auth/register', { body });
    expect(JSON.stringify(res.body)).not.toContain(STRONG_PASSWORD);
    expect(JSON.stringify(res.body)).not.toMatch(/password/i);
    const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(res.body.user.id).first<{ password_hash: string }>();
    expect(row!.password_hash).not.toContain(STRONG_PASSWORD);
  });

  it('answers validation errors with fields', async () => {
    const res = await api('/api/v1/auth/register', {
      body: { email: 'not-an-email', password: 'x', password_confirm: 'y', username: 'a b' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['email', 'username']);
    expect(res.body.error.request_id).toBe(res.headers.get('X-Request-Id'));
  });

  it('refuses mismatched confirmation, a bad phone and a weak password, each with a reason', async () => {
    const res = await api('/api/v1/auth/register', {
      body: registration({ password: 'short', password_confirm: 'other', phone_number: '12' }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.password_confirm).toHaveLength(1);
    expect(res.body.error.fields.phone_number).toHaveLength(1);
    expect(res.body.error.fields.password.length).toBeGreaterThan(0);
  });

  it('answers 409 for a taken email, username (any case) or phone', async () => {
    const first = registration({ username: 'Taken_Name', phone_number: '+14155550100' });
    expect((await api('/api/v1/auth/register', { body: first })).status).toBe(201);
    const sameEmail = await api('/api/v1/auth/register', { body: registration({ email: first.email.toUpperCase() }) });
    expect([sameEmail.status, sameEmail.body.error.code]).toEqual([409, 'email_taken']);
    const sameUsername = await api('/api/v1/auth/register', { body: registration({ username: 'taken_NAME' }) });
    expect([sameUsername.status, sameUsername.body.error.code]).toEqual([409, 'username_taken']);
    const samePhone = await api('/api/v1/auth/register', { body: registration({ phone_number: '+1 (415) 555-0100' }) });
    expect([samePhone.status, samePhone.body.error.code]).toEqual([409, 'phone_taken']);
  });

  it('names the first taken key in the order email, username, phone when several collide, and writes nothing', async () => {
    const first = registration({ username: 'Order_Name', phone_number: '+14155550142' });
    expect((await api('/api/v1/auth/register', { body: first })).status).toBe(201);
    const before = await env.DB.prepare('SELECT count(*) AS n FROM users').first<{ n: number }>();
    const all = await api('/api/v1/auth/register', { body: registration({ email: first.email, username: 'order_name', phone_number: '+14155550142' }) });
    expect([all.status, all.body.error.code]).toEqual([409, 'email_taken']);
    const usernameAndPhone = await api('/api/v1/auth/register', { body: registration({ username: 'ORDER_name', phone_number: '+14155550142' }) });
    expect([usernameAndPhone.status, usernameAndPhone.body.error.code]).toEqual([409, 'username_taken']);
    const after = await env.DB.prepare('SELECT count(*) AS n FROM users').first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
  });

  it('creates exactly one user from 10 parallel registrations of one email', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api('/api/v1/auth/register', { body: registration({ email }) })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    const row = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(email).first<{ n: number }>();
    expect(row!.n).toBe(1);
  });

  it('allows 3 registrations per IP per hour, exactly, under concurrency', async () => {
    const ip = randomIp();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api('/api/v1/auth/register', { body: registration(), ip })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(5);
    for (const r of limited) {
      expect(r.body.error.code).toBe('rate_limited');
      expect(Number(r.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(r.headers.get('Cache-Control')).toBe('no-store');
    }
    // Another client is not affected.
    expect((await api('/api/v1/auth/register', { body: registration() })).status).toBe(201);
  });

  it('does not trust X-Forwarded-For for the limit', async () => {
    const ip = randomIp();
    for (let i = 0; i < 3; i++) await api('/api/v1/auth/register', { body: registration(), ip });
    const spoofed = await api('/api/v1/auth/register', {
      body: registration(),
      ip,
      headers: { 'X-Forwarded-For': '203.0.113.77' },
    });
    expect(spoofed.status).toBe(429);
  });
});
