import { afterEach, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api, randomIp, registration, type CallOptions } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { setClock } from '../src/clock';
import { AUDIT_EVENTS } from '../src/audit/event-types';
import { adminApi, signedIn } from './admin.fixtures';

afterEach(() => setClock(null));

const UA = 'AuditCoverage/1.0';
const NEW_PASSWORD = 'Quartz-Heron-Lantern-57';
const RESET_PASSWORD = 'Marble-Finch-Harbor-38';

describe('the audit trail of the other capabilities, as the admin API shows it', () => {
  it('has every security event of an account\'s life with target, ip, user agent and severity, and no secret', async () => {
    const ips = new Set<string>();
    const call = (path: string, options: CallOptions = {}) => {
      const ip = randomIp();
      ips.add(ip);
      return api(path, { ...options, ip, headers: { 'User-Agent': UA, ...options.headers } });
    };
    const secrets: string[] = [];
    const body = registration();
    const reg = await call('/api/v1/auth/register', { body });
    const id = reg.body.user.id as string;
    const verifyCode = extractCode((await waitForMail(body.email, { subject: /Verify/ })).text);
    secrets.push(verifyCode, body.password);
    expect((await call('/api/v1/auth/verify-email', { body: { email: body.email, code: verifyCode } })).status).toBe(200);

    expect((await call('/api/v1/auth/login', { body: { email: body.email, password: 'not-the-password' } })).status).toBe(401);
    const first = await call('/api/v1/auth/login', { body: { email: body.email, password: body.password } });
    secrets.push(first.body.access, first.body.refresh);
    const rotated = await call('/api/v1/auth/refresh', { body: { refresh: first.body.refresh } });
    secrets.push(rotated.body.refresh);
    // The spent token again, past the grace window: theft.
    const later = Date.now() + 60_000;
    setClock({ now: () => later });
    expect((await call('/api/v1/auth/refresh', { body: { refresh: first.body.refresh } })).status).toBe(401);
    setClock(null);

    const second = await call('/api/v1/auth/login', { body: { email: body.email, password: body.password } });
    expect((await call('/api/v1/auth/logout', { body: { refresh: second.body.refresh } })).status).toBe(204);
    const third = await call('/api/v1/auth/login', { body: { email: body.email, password: body.password } });
    const changed = await call('/api/v1/auth/password/change', { token: third.body.access, body: { current_password: body.password, new_password: NEW_PASSWORD } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    secrets.push(NEW_PASSWORD, RESET_PASSWORD);

    expect((await call('/api/v1/auth/password/forgot', { body: { email: body.email } })).status).toBe(200);
    const resetCode = extractCode((await waitForMail(body.email, { subject: /password reset/ })).text);
    secrets.push(resetCode);
    const reset = await call('/api/v1/auth/password/reset', { body: { email: body.email, code: resetCode, new_password: RESET_PASSWORD } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);

    expect((await call('/api/v1/auth/otp/request', { body: { email: body.email } })).status).toBe(200);
    const loginCode = extractCode((await waitForMail(body.email, { subject: /sign-in code/ })).text);
    secrets.push(loginCode);
    const otp = await call('/api/v1/auth/otp/verify', { body: { email: body.email, code: loginCode } });
    expect(otp.status, JSON.stringify(otp.body)).toBe(200);
    expect((await call('/api/v1/auth/logout-all', { method: 'POST', token: otp.body.access })).status).toBe(204);

    for (let i = 0; i < 5; i++) await call('/api/v1/auth/login', { body: { email: body.email, password: 'still-not-the-password' } });

    const admin = await signedIn('admin');
    const res = await adminApi(admin, `/audit-events?user=${id}&page_size=100`);
    const events = res.body.results as any[];
    const types = new Set(events.map((e) => e.type));
    for (const expected of [
      'user_registered',
      'email_verified',
      'login_failed',
      'login_succeeded',
      'refresh_reuse_detected',
      'logout',
      'password_changed',
      'password_reset_requested',
      'password_reset',
      'otp_requested',
      'otp_login',
      'logout_all',
      'account_locked',
    ]) {
      expect(types, expected).toContain(expected);
    }
    for (const event of events) {
      expect(event.user_id).toBe(id);
      expect(ips, `${event.type} ip`).toContain(event.ip);
      expect(event.user_agent, `${event.type} user agent`).toBe(UA);
      expect(Object.keys(AUDIT_EVENTS), `${event.type} is in the one list`).toContain(event.type);
      expect(['low', 'medium', 'high', 'critical']).toContain(event.severity);
    }
    const severity = (type: string) => events.find((e) => e.type === type)?.severity;
    expect(severity('account_locked')).toBe('high');
    expect(severity('refresh_reuse_detected')).toBe('high');
    const text = JSON.stringify(res.body);
    for (const secret of secrets) expect(text.includes(secret), 'a secret in the audit trail').toBe(false);
    const hashes = await env.DB.prepare('SELECT password_hash AS h FROM password_history WHERE user_id = ?').bind(id).all<{ h: string }>();
    for (const { h } of hashes.results) expect(text).not.toContain(h);
  });
});
