import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api, registration } from './helpers/api';
import { socialUser } from './helpers/social';
import { adminApi, auditRows, signedIn } from './admin.fixtures';
import { waitForMail } from './helpers/mail';

const PRO = { company_name: 'Lovelace Engines', job_title: 'Engineer', years_experience: 12, certifications: ['ISO 9001'], services_offered: ['repair', 'design'] };

describe('professional profiles', () => {
  it('one per user (409 conflict), sets account_type=professional, visible through the profile', async () => {
    const [me, viewer] = [await socialUser(), await socialUser()];
    const made = await api('/api/v1/professional-profiles', { token: me.access, body: PRO });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ ...PRO, user_id: me.id, is_verified: false });
    const again = await api('/api/v1/professional-profiles', { token: me.access, body: PRO });
    expect([again.status, again.body.error.code]).toEqual([409, 'conflict']);
    expect((await api(`/api/v1/profiles/${me.id}`, { token: viewer.access })).body).toMatchObject({ account_type: 'professional', professional_profile: { company_name: 'Lovelace Engines' } });
    expect((await api(`/api/v1/professional-profiles/${me.id}`, { token: viewer.access })).body.company_name).toBe('Lovelace Engines');
    const listed = await api('/api/v1/professional-profiles?service=design&search=lovelace', { token: viewer.access });
    expect(listed.body.results.map((r: { user_id: string }) => r.user_id)).toContain(me.id);
    expect(await auditRows(me.id, 'professional_profile_created')).toHaveLength(1);
  });

  it('validation: years 0-80, lists of at most 50 strings; nothing written', async () => {
    const me = await socialUser();
    const bad = await api('/api/v1/professional-profiles', { token: me.access, body: { years_experience: 81, certifications: Array(51).fill('x'), services_offered: [1] } });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['certifications', 'services_offered.0', 'years_experience']);
    expect((await api('/api/v1/professional-profiles/me', { method: 'PATCH', token: me.access, body: {} })).status).toBe(404);
  });

  it('staff verify (audited, owner mailed); editing company, address or certifications clears it, other fields do not', async () => {
    const admin = await signedIn('admin');
    const me = await socialUser();
    await api('/api/v1/professional-profiles', { token: me.access, body: PRO });
    const verified = await adminApi(admin, `/professional-profiles/${me.id}/verify`, { body: { verified: true, note: 'Registry checked.' } });
    expect([verified.status, verified.body.is_verified]).toEqual([200, true]);
    expect(await auditRows(me.id, 'professional_profile_verified')).toHaveLength(1);
    const mail = await waitForMail(me.email, { subject: /professional profile/i });
    expect(mail.text).toContain('Registry checked.');
    expect((await api('/api/v1/auth/me', { token: me.access })).body.profile.is_verified).toBe(true);

    const titled = await api('/api/v1/professional-profiles/me', { method: 'PATCH', token: me.access, body: { job_title: 'Chief Engineer' } });
    expect(titled.body.is_verified).toBe(true);
    const moved = await api('/api/v1/professional-profiles/me', { method: 'PATCH', token: me.access, body: { business_address: '1 New Street' } });
    expect(moved.body.is_verified).toBe(false);
    expect((await api('/api/v1/auth/me', { token: me.access })).body.profile.is_verified).toBe(false);
    const pending = await adminApi(admin, '/professional-profiles?is_verified=false');
    expect(pending.body.results.map((r: { user_id: string }) => r.user_id)).toContain(me.id);
    // Plain users cannot verify.
    expect((await api(`/api/v1/admin/professional-profiles/${me.id}/verify`, { token: me.access, body: { verified: true } })).status).toBe(403);
  });

  it('the verification mail obeys email_notifications (it is not a security notice)', async () => {
    const admin = await signedIn('admin');
    const me = await socialUser();
    await api('/api/v1/settings', { method: 'PATCH', token: me.access, body: { email_notifications: false } });
    await api('/api/v1/professional-profiles', { token: me.access, body: PRO });
    const res = await adminApi(admin, `/professional-profiles/${me.id}/verify`, { body: { verified: true } });
    expect(res.status).toBe(200);
    // Drain the queue: a second verify of another owner that does want mail arrives, this one's does not.
    const other = await socialUser();
    await api('/api/v1/professional-profiles', { token: other.access, body: PRO });
    await adminApi(admin, `/professional-profiles/${other.id}/verify`, { body: { verified: true } });
    await waitForMail(other.email, { subject: /professional profile/i });
    await expect(waitForMail(me.email, { subject: /professional profile/i, timeoutMs: 1_500 })).rejects.toThrow(/no mail/);
  });

  it('DELETE /me removes it and the account is normal again', async () => {
    const me = await socialUser();
    await api('/api/v1/professional-profiles', { token: me.access, body: PRO });
    expect((await api('/api/v1/professional-profiles/me', { method: 'DELETE', token: me.access })).status).toBe(204);
    expect((await api('/api/v1/auth/me', { token: me.access })).body.profile.account_type).toBe('normal');
  });

  it('POST /auth/register/professional writes user, profile, settings and professional profile together; a bad professional part writes nothing', async () => {
    const body = { ...registration(), professional: PRO };
    const res = await api('/api/v1/auth/register/professional', { body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const id = res.body.user.id;
    const row = await env.DB.prepare('SELECT p.account_type, pp.company_name, (SELECT count(*) FROM user_settings s WHERE s.user_id = p.user_id) settings FROM profiles p JOIN professional_profiles pp ON pp.user_id = p.user_id WHERE p.user_id = ?')
      .bind(id)
      .first();
    expect(row).toEqual({ account_type: 'professional', company_name: 'Lovelace Engines', settings: 1 });
    const bad = { ...registration(), professional: { years_experience: -1 } };
    expect((await api('/api/v1/auth/register/professional', { body: bad })).status).toBe(400);
    expect(await env.DB.prepare('SELECT count(*) n FROM users WHERE email = ?').bind(bad.email).first('n')).toBe(0);
  });
});
