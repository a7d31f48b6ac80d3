import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, getConfig } from '../src/config/config';
import type { Env } from '../src/env';
import { normalizedPhone } from './helpers/phone';
import { verificationLink } from '../src/registration/verify-email';
import { renderMail } from '../src/mail/templates';
import { MailRenderError } from '../src/mail/templates/content';
import { api, STRONG_PASSWORD, uniqueEmail } from './helpers/api';
import { mailJob } from './helpers/mail';
import { createVerifiedUser } from './helpers/users';
import { signedIn } from './admin.fixtures';
import { apiWith, uniquePkMobile, uniqueUsername } from './compat.fixtures';

const configWith = (vars: Partial<Env>) => getConfig({ ...env, ...vars } as Env);
const PK = { DEFAULT_PHONE_REGION: 'PK' } satisfies Partial<Env>;

describe('settings for Django habits: config', () => {
  it('defaults: no frontend, no phone region, email verification required', () => {
    const config = configWith({});
    expect(config).toMatchObject({ frontendUrl: '', defaultPhoneRegion: '', requireEmailVerification: true });
    expect(DEFAULTS.REQUIRE_EMAIL_VERIFICATION).toBe(true);
  });

  it('reads and tidies overrides', () => {
    const config = configWith({ FRONTEND_URL: ' https://app.example.com/ ', DEFAULT_PHONE_REGION: ' pk ', REQUIRE_EMAIL_VERIFICATION: 'FALSE' });
    expect(config).toMatchObject({ frontendUrl: 'https://app.example.com', defaultPhoneRegion: 'PK', requireEmailVerification: false });
  });

  it('refuses malformed values by name, and the Worker answers 503 for them', async () => {
    for (const [name, value] of [
      ['FRONTEND_URL', 'app.example.com'],
      ['FRONTEND_URL', 'ftp://app.example.com'],
      ['DEFAULT_PHONE_REGION', 'PAK'],
      ['DEFAULT_PHONE_REGION', 'XX'],
      ['REQUIRE_EMAIL_VERIFICATION', 'sometimes'],
    ] as const) {
      expect(() => configWith({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => configWith({ [name]: value })).toThrow(name);
    }
    const res = await apiWith({ DEFAULT_PHONE_REGION: 'XX' }, '/api/v1/auth/login', { body: { username: 'x', password: 'y' } });
    expect(res.status).toBe(503);
  });
});

describe('DEFAULT_PHONE_REGION', () => {
  it('the normalizer (the importer uses it too): national numbers with a region, international ones always', () => {
    expect(normalizedPhone('0300 1234567', 'PK')).toBe('+923001234567');
    expect(normalizedPhone('0300-1234567', 'PK')).toBe('+923001234567');
    expect(normalizedPhone('+92 300 1234567', 'PK')).toBe('+923001234567');
    expect(normalizedPhone('0092 300 1234567')).toBe('+923001234567');
    expect(normalizedPhone('+44 (20) 7946-0958')).toBe('+442079460958');
    // Without a region a national number means nothing; an extension has no E.164 form.
    expect(normalizedPhone('0300 1234567')).toBeNull();
    expect(normalizedPhone('+44 20 7946 0958 ext. 12')).toBeNull();
    expect(normalizedPhone('12', 'PK')).toBeNull();
    expect(normalizedPhone('not a number', 'PK')).toBeNull();
  });

  it('register, login and PATCH /auth/me take national numbers and store E.164', async () => {
    const phone = uniquePkMobile();
    const username = uniqueUsername('pk');
    const reg = await apiWith(PK, '/api/v1/accounts/signup/', { body: { username, phone_number: phone.national, password: STRONG_PASSWORD, password2: STRONG_PASSWORD } });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect(reg.body.user.phone_number).toBe(phone.e164);
    // The same national number without the setting is not a phone number.
    const without = await api('/api/v1/auth/register', { body: { username: uniqueUsername(), phone_number: uniquePkMobile().national, password: STRONG_PASSWORD, password_confirm: STRONG_PASSWORD } });
    expect(without.status).toBe(400);
    expect(without.body.error.fields.phone_number).toBeDefined();

    const byNational = await apiWith(PK, '/api/v1/accounts/login/', { body: { phone_number: phone.national, password: STRONG_PASSWORD } });
    expect(byNational.status, JSON.stringify(byNational.body)).toBe(200);
    const byIdentifier = await apiWith(PK, '/api/v1/auth/login', { body: { identifier: phone.national.replace(' ', ''), password: STRONG_PASSWORD } });
    expect(byIdentifier.status).toBe(200);

    const next = uniquePkMobile();
    const patched = await apiWith(PK, '/api/v1/auth/me', { method: 'PATCH', token: byNational.body.access, body: { phone_number: next.national } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.phone_number).toBe(next.e164);
  });

  it('an admin edit takes a national number too; a bad one is 400 and changes nothing', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const phone = uniquePkMobile();
    const res = await apiWith(PK, `/api/v1/admin/users/${user.id}`, { method: 'PATCH', token: admin.token, body: { phone_number: phone.national } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.phone_number).toBe(phone.e164);
    const bad = await apiWith(PK, `/api/v1/admin/users/${user.id}`, { method: 'PATCH', token: admin.token, body: { phone_number: '0300' } });
    expect(bad.status).toBe(400);
    const row = await env.DB.prepare('SELECT phone_number FROM users WHERE id = ?').bind(user.id).first<{ phone_number: string }>();
    expect(row?.phone_number).toBe(phone.e164);
  });
});

describe('REQUIRE_EMAIL_VERIFICATION', () => {
  it('true (default): an unverified address cannot sign in; false: it can, with the right password only', async () => {
    const email = uniqueEmail('unverified');
    expect((await api('/api/v1/auth/register', { body: { email, password: STRONG_PASSWORD, password_confirm: STRONG_PASSWORD } })).status).toBe(201);
    const strict = await api('/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } });
    expect([strict.status, strict.body.error.code]).toEqual([403, 'email_not_verified']);
    const relaxed = await apiWith({ REQUIRE_EMAIL_VERIFICATION: 'false' }, '/api/v1/accounts/login/', { body: { email, password: STRONG_PASSWORD } });
    expect(relaxed.status).toBe(200);
    expect(relaxed.body.user).toMatchObject({ email, email_verified: false });
    const wrong = await apiWith({ REQUIRE_EMAIL_VERIFICATION: 'false' }, '/api/v1/auth/login', { body: { email, password: 'Wrong-Otter-Garden-11' } });
    expect(wrong.status).toBe(401);
  });
});

describe('FRONTEND_URL', () => {
  it('verification links open the frontend page, which posts the token; unset, the API route', () => {
    expect(verificationLink(configWith({ FRONTEND_URL: 'https://app.example.com/' }), 'a b+c')).toBe('https://app.example.com/verify-email?token=a%20b%2Bc');
    expect(verificationLink(configWith({}), 'tok')).toBe('http://localhost:8787/api/v1/auth/verify-email?token=tok');
  });

  it('the mail renders a link under the frontend, and still refuses one under any other host', () => {
    const config = configWith({ FRONTEND_URL: 'https://app.example.com' });
    const data = { code: '123456', link: verificationLink(config, 'tok'), code_minutes: 10, link_hours: 24 };
    const mail = renderMail(mailJob({ template: 'verify_email', data }), config);
    expect(mail.text).toContain('https://app.example.com/verify-email?token=tok');
    const elsewhere = mailJob({ template: 'verify_email', data: { ...data, link: 'https://evil.example.net/verify-email?token=tok' } });
    expect(() => renderMail(elsewhere, config)).toThrow(MailRenderError);
    // Without FRONTEND_URL, a frontend link is refused like any other host.
    expect(() => renderMail(mailJob({ template: 'verify_email', data }), configWith({}))).toThrow(MailRenderError);
  });
});
