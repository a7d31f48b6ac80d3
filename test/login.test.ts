import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, registration, STRONG_PASSWORD } from './helpers/api';
import { createVerifiedUser } from './helpers/users';

describe('POST /api/v1/auth/login', () => {
  it('signs in by email, username, phone number or identifier', async () => {
    const user = await createVerifiedUser({ username: 'Grace_H', phone_number: '+14155550177' });
    const bodies = [
      { email: user.email.toUpperCase() },
      { username: 'grace_h' },
      { phone_number: '+1 415 555 0177' },
      { identifier: user.email },
      { identifier: 'GRACE_H' },
      { identifier: '+14155550177' },
    ];
    for (const body of bodies) {
      const res = await api('/api/v1/auth/login', { body: { ...body, password: STRONG_PASSWORD } });
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { id: user.id, email: user.email } });
      expect(res.body.access.split('.')).toHaveLength(3);
      expect(res.body.refresh.split('.')).toHaveLength(3);
      expect(res.body.user.last_login).not.toBeNull();
    }
  });

  it('answers one generic 401 for an unknown user and a wrong password', async () => {
    const user = await createVerifiedUser();
    const wrong = await api('/api/v1/auth/login', { body: { email: user.email, password: 'Wrong-Password-123' } });
    const unknown = await api('/api/v1/auth/login', { body: { email: 'nobody.here@example.com', password: 'Wrong-Password-123' } });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_credentials');
    }
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
  });

  it('says email_not_verified and account_disabled only once the password is right', async () => {
    const body = registration();
    await api('/api/v1/auth/register', { body });
    const wrong = await api('/api/v1/auth/login', { body: { email: body.email, password: 'Wrong-Password-123' } });
    expect(wrong.body.error.code).toBe('invalid_credentials');
    const right = await api('/api/v1/auth/login', { body: { email: body.email, password: body.password } });
    expect([right.status, right.body.error.code]).toEqual([403, 'email_not_verified']);
    const user = await createVerifiedUser();
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(user.id).run();
    const disabledWrong = await api('/api/v1/auth/login', { body: { email: user.email, password: 'Wrong-Password-123' } });
    expect(disabledWrong.body.error.code).toBe('invalid_credentials');
    const disabled = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect([disabled.status, disabled.body.error.code]).toEqual([403, 'account_disabled']);
  });

  it('refuses soft-deleted users like unknown ones', async () => {
    const user = await createVerifiedUser();
    await env.DB.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').bind(Date.now(), user.id).run();
    const res = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect([res.status, res.body.error.code]).toEqual([401, 'invalid_credentials']);
  });

  it('updates last_login, records the device and audit events for success and failure', async () => {
    const user = await createVerifiedUser();
    await api('/api/v1/auth/login', { body: { email: user.email, password: 'nope-nope-nope' } });
    const ok = await api('/api/v1/auth/login', {
      body: { email: user.email, password: user.password, device: { fingerprint_hash: 'fp-login', device_type: 'mobile', browser: 'Safari', os: 'iOS' } },
    });
    expect(ok.status).toBe(200);
    const row = await env.DB.prepare('SELECT last_login FROM users WHERE id = ?').bind(user.id).first<{ last_login: number }>();
    expect(row!.last_login).toBeGreaterThan(0);
    const device = await env.DB.prepare('SELECT browser, os FROM devices WHERE user_id = ? AND fingerprint_hash = ?').bind(user.id, 'fp-login').first();
    expect(device).toEqual({ browser: 'Safari', os: 'iOS' });
    const events = await env.DB.prepare('SELECT type FROM audit_events WHERE user_id = ? ORDER BY created_at').bind(user.id).all<{ type: string }>();
    expect(events.results.map((e) => e.type)).toEqual(expect.arrayContaining(['login_failed', 'login_succeeded']));
    expect(JSON.stringify(events)).not.toContain(user.password);
  });

  it('upgrades an imported Django hash on the next login', async () => {
    const user = await createVerifiedUser();
    // pbkdf2_sha256, 1000 iterations, salt "importsalt", password = STRONG_PASSWORD (python hashlib).
    const django = await djangoHash(STRONG_PASSWORD, 'importsalt', 1000);
    await env.DB.prepare('UPDATE users SET password_hash = ? WHERE id = ?').bind(django, user.id).run();
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: STRONG_PASSWORD } })).status).toBe(200);
    const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(user.id).first<{ password_hash: string }>();
    expect(row!.password_hash).not.toBe(django);
    expect(row!.password_hash.startsWith('pbkdf2_sha256$')).toBe(false);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: STRONG_PASSWORD } })).status).toBe(200);
  });

  it('requires an identifier and a password', async () => {
    const res = await api('/api/v1/auth/login', { body: { password: 'x' } });
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    expect(res.body.error.fields.identifier).toBeDefined();
  });
});

async function djangoHash(password: string, salt: string, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new TextEncoder().encode(salt), iterations }, key, 256);
  return `pbkdf2_sha256$${iterations}$${salt}$${btoa(String.fromCharCode(...new Uint8Array(bits)))}`;
}
