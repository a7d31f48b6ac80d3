import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { registration, STRONG_PASSWORD } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { createEnrolledUser, freezeClock, oathtool } from './helpers/mfa';
import { signedIn } from './admin.fixtures';
import { documentedApi } from './helpers/openapi';
import { createVerifiedUser, login } from './helpers/users';

afterEach(() => setClock(null));

/** The flows that need a mailed code or a TOTP code, each answer checked against the document. */
describe('answers match the OpenAPI document: mailed codes and two-factor', () => {
  it('verify email by code and by link, professional registration', async () => {
    const body = registration();
    expect((await documentedApi('/api/v1/auth/register', { body })).status).toBe(201);
    const mail = await waitForMail(body.email, { subject: /verify/i });
    const verified = await documentedApi('/api/v1/auth/verify-email', { body: { email: body.email, code: extractCode(mail.text) } });
    expect(verified.body.user.email_verified).toBe(true);
    const token = /token=([^\s&"]+)/.exec(mail.text)![1]!;
    const again = await documentedApi(`/api/v1/auth/verify-email?token=${token}`);
    expect([again.status, again.body.user]).toEqual([200, undefined]);
    const pro = await documentedApi('/api/v1/auth/register/professional', { body: { ...registration(), professional: { company_name: 'Acme' } } });
    expect(pro.status).toBe(201);
  });

  it('passwordless sign-in, password reset and change', async () => {
    const user = await createVerifiedUser();
    await documentedApi('/api/v1/auth/otp/request', { body: { email: user.email } });
    const otp = await waitForMail(user.email, { subject: /sign-in|code/i });
    const signedIn = await documentedApi('/api/v1/auth/otp/verify', { body: { email: user.email, code: extractCode(otp.text) } });
    expect(signedIn.body.access).toBeDefined();

    await documentedApi('/api/v1/auth/password/forgot', { body: { email: user.email } });
    const reset = await waitForMail(user.email, { subject: /reset/i });
    const newPassword = 'Copper-Finch-Meadow-31';
    expect((await documentedApi('/api/v1/auth/password/reset', { body: { email: user.email, code: extractCode(reset.text), new_password: newPassword } })).status).toBe(200);
    const { access } = await login({ email: user.email, password: newPassword });
    const changed = await documentedApi('/api/v1/auth/password/change', { token: access, body: { current_password: newPassword, new_password: 'Amber-Lynx-Harbor-48' } });
    expect(changed.status).toBe(200);
  });

  it('two-factor: enrol, sign in with the second factor, new recovery codes, turn off', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const setup = await documentedApi('/api/v1/auth/mfa/totp/setup', { token: access, body: { password: STRONG_PASSWORD } });
    const confirmed = await documentedApi('/api/v1/auth/mfa/totp/confirm', { token: access, body: { code: await oathtool(setup.body.secret, clock.now()) } });
    expect(confirmed.body.recovery_codes.length).toBeGreaterThan(0);
    clock.nextStep();

    const first = await documentedApi('/api/v1/auth/login', { body: { email: user.email, password: STRONG_PASSWORD } });
    expect(first.body.mfa_required).toBe(true);
    const second = await documentedApi('/api/v1/auth/mfa/verify', { body: { mfa_token: first.body.mfa_token, code: await oathtool(setup.body.secret, clock.now()) } });
    expect(second.status).toBe(200);
    clock.nextStep();

    const codes = await documentedApi('/api/v1/auth/mfa/recovery-codes', { token: second.body.access, body: { password: STRONG_PASSWORD, code: await oathtool(setup.body.secret, clock.now()) } });
    expect(codes.status).toBe(200);
    clock.nextStep();
    const off = await documentedApi('/api/v1/auth/mfa/totp/disable', { token: second.body.access, body: { password: STRONG_PASSWORD, code: codes.body.recovery_codes[0] } });
    expect([off.status, off.body.mfa_enabled]).toEqual([200, false]);
  });

  it('staff turn off the two-factor authentication of an account', async () => {
    const clock = freezeClock();
    const [admin, enrolled] = [await signedIn('admin'), await createEnrolledUser(clock)];
    const reset = await documentedApi(`/api/v1/admin/users/${enrolled.id}/reset-mfa`, { method: 'POST', token: admin.token });
    expect([reset.status, reset.body.user.mfa_enabled]).toEqual([200, false]);
  });
});
