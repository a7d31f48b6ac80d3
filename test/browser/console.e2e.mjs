// The admin console in headless Chromium: sign in, search a user, open it, lock and
// unlock, deactivate, and find the audit event. Each step also checks the effect through
// the API (login answers 423, then 200, then 403). Run by scripts/browser-test.mjs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'Quartz-Heron-Lantern-57';

/** Registers and verifies (code from the dev mailbox) an account for the admin to act on. */
async function createTarget(base) {
  const email = `browser.target.${Date.now()}@example.com`;
  const post = (path, body) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const reg = await post('/api/v1/auth/register', { email, password: PASSWORD, password_confirm: PASSWORD, first_name: 'Tess', last_name: 'Target' });
  assert.equal(reg.status, 201, await reg.text());
  let code;
  for (let i = 0; i < 60 && !code; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const box = await (await fetch(`${base}/dev/mailbox?to=${encodeURIComponent(email)}`)).json();
    code = /\b(\d{6})\b/.exec(box.messages.find((m) => /verify/i.test(m.subject))?.text ?? '')?.[1];
  }
  assert.ok(code, 'no verification mail arrived');
  assert.equal((await post('/api/v1/auth/verify-email', { email, code })).status, 200);
  return { email, loginStatus: async () => (await post('/api/v1/auth/login', { email, password: PASSWORD })).status };
}

export async function run({ base, admin, chromiumPath, results, log }) {
  const target = await createTarget(base);
  log(`target account ${target.email} registered and verified`);

  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ baseURL: base, javaScriptEnabled: false });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
  page.on('pageerror', (err) => problems.push(String(err)));
  try {
    await page.goto('/admin');
    assert.match(page.url(), /\/admin\/login$/);
    await page.getByLabel('Email or username').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/admin/users');
    assert.ok((await page.locator('header').innerText()).includes(`${admin.email} (admin)`));
    const [cookie] = await context.cookies();
    assert.deepEqual(
      { name: cookie.name, httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite, path: cookie.path },
      { name: '__Host-gatehouse_console', httpOnly: true, secure: true, sameSite: 'Strict', path: '/' },
    );
    log('signed in; session cookie is __Host-, HttpOnly, Secure, SameSite=Strict');

    await page.getByLabel('Search').fill(target.email.split('@')[0]);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: target.email }).click();
    await page.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    assert.ok((await page.locator('h1').innerText()).includes(target.email));
    log('searched the user and opened it');

    await page.getByLabel('Lock for').selectOption('15');
    await page.getByRole('button', { name: 'Lock sign-in…' }).click();
    assert.ok((await page.locator('main').innerText()).includes(`Block sign-in for ${target.email} for 15 minutes?`));
    await page.getByRole('button', { name: 'Yes, lock sign-in' }).click();
    await page.getByText('Sign-in is locked.').waitFor();
    assert.equal(await target.loginStatus(), 423);
    log('locked (after confirming): API login answers 423');

    await page.getByRole('link', { name: 'Unlock…' }).click();
    await page.getByRole('button', { name: 'Yes, unlock' }).click();
    await page.getByText('The account is unlocked.').waitFor();
    assert.equal(await target.loginStatus(), 200);
    log('unlocked (after confirming): API login answers 200');

    await page.getByRole('link', { name: 'Deactivate…' }).click();
    await page.getByRole('button', { name: 'Yes, deactivate' }).click();
    await page.getByText('The account is deactivated and signed out everywhere.').waitFor();
    assert.equal(await target.loginStatus(), 403);
    await page.screenshot({ path: join(results, 'admin-console-user.png'), fullPage: true });
    log('deactivated (after confirming): API login answers 403, sessions ended');

    await page.getByRole('link', { name: 'Audit events' }).click();
    await page.getByLabel('Account (email or id)').fill(target.email);
    await page.getByLabel('Event').selectOption('admin_user_deactivated');
    await page.getByRole('button', { name: 'Filter' }).click();
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    const row = await rows.first().innerText();
    assert.ok(row.includes('admin_user_deactivated') && row.includes('medium') && row.includes(target.email) && row.includes(admin.email), row);
    log('the audit event is listed with its actor');

    // The pages that draw figures: server-rendered SVG, no script (CSP violations are caught below).
    // A fresh database has no finished day yet: the page says so instead of drawing.
    await page.getByRole('link', { name: 'Daily report' }).click();
    assert.equal(await page.getByRole('heading', { name: 'Daily report' }).count(), 1);
    assert.ok((await page.locator('svg').count()) >= 1 || (await page.getByText(/No figures for/).count()) === 1, 'the daily report draws its charts or says it has no figures');
    await page.screenshot({ path: join(results, 'daily-report.png'), fullPage: true });
    await page.getByRole('link', { name: 'Badges' }).click();
    await page.locator('a[href="/admin/badges/analytics"]').click();
    assert.ok((await page.locator('svg').count()) >= 1, 'badge analytics draws its bars');
    await page.screenshot({ path: join(results, 'badge-analytics.png'), fullPage: true });
    log('the daily report renders; badge analytics draws its SVG bars');

    assert.deepEqual(problems, [], 'no console errors or CSP violations');
    await page.screenshot({ path: join(results, 'admin-console.png'), fullPage: true });
    log(`screenshot: ${join(results, 'admin-console.png')}`);
  } catch (err) {
    await page.screenshot({ path: join(results, 'admin-console-failure.png'), fullPage: true }).catch(() => {});
    err.message += `\nscreenshot of the failing page: ${join(results, 'admin-console-failure.png')} (at ${page.url()})`;
    throw err;
  } finally {
    await browser.close();
  }
}
