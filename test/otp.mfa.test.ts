import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { codeFromMail, SIGN_IN_MAIL } from './otp.helpers';

describe('POST /api/v1/auth/otp/verify with two-factor on', () => {
  it('an emailed code is one factor: it answers mfa_required like a password login, and opens no session', async () => {
    const user = await createVerifiedUser();
    await env.DB.prepare('UPDATE users SET mfa_enabled = 1 WHERE id = ?').bind(user.id).run();
    const byPassword = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect((await api('/api/v1/auth/otp/request', { body: { email: user.email } })).status).toBe(200);
    const { code } = await codeFromMail(user.email, SIGN_IN_MAIL);
    const res = await api('/api/v1/auth/otp/verify', { body: { email: user.email, code } });
    expect([res.status, res.body.mfa_required, typeof res.body.mfa_token]).toEqual([200, true, 'string']);
    expect(Object.keys(res.body)).toEqual(Object.keys(byPassword.body));
    expect(res.body.access).toBeUndefined();
    const signIns = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'login_succeeded'").bind(user.id).first<{ n: number }>();
    expect(signIns!.n).toBe(0);
  });
});
