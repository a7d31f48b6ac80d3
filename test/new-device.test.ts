import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { mailSettled, readMailbox, waitForMail } from './helpers/mail';

const device = (fingerprint: string) => ({ fingerprint_hash: fingerprint, device_type: 'desktop', browser: 'Firefox', os: 'Linux' });

describe('new-device sign-in notice', () => {
  it('mails the owner when a device not seen before signs in, and not for a known one', async () => {
    const user = await createVerifiedUser({ device: device('fp-home') });
    await login(user, { device: device('fp-home') });
    await login(user, { device: device('fp-travel') });
    const notice = await waitForMail(user.email, { subject: /sign-in|sign in/i });
    expect(notice.text).toContain('198.51.');
    await login(user, { device: device('fp-travel') });
    await login(user, { device: device('fp-home') });
    // Anything else (wrongly) queued by these sign-ins is delivered by then.
    await mailSettled();
    const notices = (await readMailbox(user.email)).filter((m) => /sign-in|sign in/i.test(m.subject));
    expect(notices).toHaveLength(1);
  });

  it('tells devices apart by user agent when the client sends no fingerprint', async () => {
    const user = await createVerifiedUser();
    const as = (ua: string) => api('/api/v1/auth/login', { body: { email: user.email, password: user.password }, headers: { 'User-Agent': ua } });
    expect((await as('Browser/1')).status).toBe(200);
    expect((await as('Browser/1')).status).toBe(200);
    expect((await as('OtherBrowser/2')).status).toBe(200);
    await waitForMail(user.email, { subject: /sign-in|sign in/i });
    await mailSettled();
    expect((await readMailbox(user.email)).filter((m) => /sign-in|sign in/i.test(m.subject))).toHaveLength(1);
  });
});
