import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { socialUser } from './helpers/social';
import { auditRows, signedIn } from './admin.fixtures';
import { ConsoleBrowser, csrfOf, textOf } from './console.fixtures';

async function staffBrowser() {
  const staff = await signedIn('admin');
  const browser = new ConsoleBrowser();
  await browser.signIn(staff.email, staff.password);
  return { staff, browser };
}

describe('console: the social part of a user page', () => {
  it('shows profile, settings, professional card, counts and blocks; suspends and lifts it behind the confirmation page', async () => {
    const { staff, browser } = await staffBrowser();
    const [user, other] = [await socialUser(), await socialUser()];
    await api('/api/v1/follows', { token: other.access, body: { user_id: user.id } });
    await api('/api/v1/blocks', { token: user.access, body: { user_id: (await socialUser()).id, reason: 'noise' } });
    await api('/api/v1/professional-profiles', { token: user.access, body: { company_name: 'Lovelace Engines' } });

    const page = textOf((await browser.get(`/admin/users/${user.id}`)).html);
    for (const text of ['Social', 'Followers / following', '1 / 0', 'notification_frequency', 'Lovelace Engines', 'Blocks 1 account(s)', 'Suspend…', 'Verify professional profile…']) {
      expect(page).toContain(text);
    }

    const confirm = await browser.get(`/admin/users/${user.id}/confirm?action=suspend&reason=spam`);
    expect(textOf(confirm.html)).toContain(`Suspend ${user.email}? Reason: spam.`);
    expect((await browser.get(`/admin/users/${user.id}/confirm?action=suspend&reason=`)).status).toBe(400);
    const done = await browser.post(`/admin/users/${user.id}/actions`, { action: 'suspend', reason: 'spam', csrf: csrfOf(confirm.html) });
    expect([done.status, done.location]).toEqual([303, `/admin/users/${user.id}?done=suspend`]);
    expect((await auditRows(user.id, 'account_suspended'))[0]).toMatchObject({ actor_id: staff.id });
    const after = textOf((await browser.get(done.location!)).html);
    expect(after).toContain('The account is suspended.');
    expect(after).toContain('Lift suspension…');

    const verify = await browser.get(`/admin/users/${user.id}/confirm?action=verify_professional&note=ok`);
    const verified = await browser.post(`/admin/users/${user.id}/actions`, { action: 'verify_professional', note: 'ok', csrf: csrfOf(verify.html) });
    expect(verified.status).toBe(303);
    expect(textOf((await browser.get(verified.location!)).html)).toContain('Remove verification…');
  });
});
