// The console's everyday jobs (issue 17) in headless Chromium: create an account, edit
// its username, bulk-lock two accounts, read a password history; every new page is
// screenshotted at desktop width and at 390 px, where no page may be wider than the
// screen. Run by scripts/browser-test.mjs after console.e2e.mjs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const PASSWORD = 'Quartz-Heron-Lantern-57';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const post = (base, path, body) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function mailTo(base, email, subject) {
  for (let i = 0; i < 60; i++) {
    const box = await (await fetch(`${base}/dev/mailbox?to=${encodeURIComponent(email)}`)).json();
    const mail = box.messages.find((m) => subject.test(m.subject));
    if (mail) return mail;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${email} matching ${subject}`);
}

/** A registered, verified account (through the API and the dev mailbox). */
async function registered(base, email) {
  const reg = await post(base, '/api/v1/auth/register', { email, password: PASSWORD, password_confirm: PASSWORD, first_name: 'Bulk', last_name: 'Target' });
  assert.equal(reg.status, 201, await reg.text());
  const code = /\b(\d{6})\b/.exec((await mailTo(base, email, /verify/i)).text)?.[1];
  assert.equal((await post(base, '/api/v1/auth/verify-email', { email, code })).status, 200);
  return { email, loginStatus: async () => (await post(base, '/api/v1/auth/login', { email, password: PASSWORD })).status };
}

export async function runJobs({ base, admin, chromiumPath, results, log }) {
  const tag = `jobs${Date.now().toString(36)}`;
  const targets = [await registered(base, `${tag}.a@example.com`), await registered(base, `${tag}.b@example.com`)];
  log(`two accounts to bulk-lock registered: ${tag}.a/b@example.com`);

  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ baseURL: base, javaScriptEnabled: false, viewport: DESKTOP });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (msg) => msg.type() === 'error' && problems.push(msg.text()));
  page.on('pageerror', (err) => problems.push(String(err)));
  /** Every page at desktop width and at 390 px (the same page reflowed), where it must not be wider than the screen. */
  const shoot = async (name) => {
    await page.screenshot({ path: join(results, `jobs-${name}-desktop.png`), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(results, `jobs-${name}-390.png`), fullPage: true });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= PHONE.width, `${name} is ${width} px wide at ${PHONE.width} px`);
    await page.setViewportSize(DESKTOP);
  };
  try {
    await page.goto('/admin/login');
    await page.getByLabel('Email or username').fill(admin.email);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/admin/users');

    // Create an account: form, a refused value shown on the form, confirmation, done.
    await page.getByRole('link', { name: 'New account…' }).click();
    await shoot('create-form');
    const email = `${tag}.new@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Username').fill(`${tag}_new`);
    await page.getByLabel('Phone').fill('12');
    await page.getByRole('button', { name: 'Continue…' }).click();
    await page.getByText('Enter a valid phone number in international format').waitFor();
    // The refusal is an answer of its own (400), which Chromium reports; nothing else may be.
    assert.deepEqual(problems.splice(0), ['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await shoot('create-form-error');
    await page.getByLabel('Phone').fill('');
    await page.getByLabel('First name').fill('Nora');
    await page.getByRole('button', { name: 'Continue…' }).click();
    assert.ok((await page.locator('main').innerText()).includes(`Create an account for ${email} (Nora), username ${tag}_new?`));
    await shoot('create-confirm');
    await page.getByRole('button', { name: 'Yes, create the account' }).click();
    await page.getByText('The account is created and a verification mail is on its way.').waitFor();
    await mailTo(base, email, /verify/i);
    await shoot('user-page');
    log('created an account (after a refused phone and the confirmation); its verification mail arrived');

    // Edit its username.
    await page.getByRole('link', { name: 'Edit email, username, phone…' }).click();
    await shoot('edit-form');
    await page.getByLabel('Username').fill(`${tag}_renamed`);
    await page.getByRole('button', { name: 'Continue…' }).click();
    assert.ok((await page.locator('main').innerText()).includes(`Username: ${tag}_new → ${tag}_renamed.`));
    await shoot('edit-confirm');
    await page.getByRole('button', { name: 'Yes, save the changes' }).click();
    await page.getByText('The account is changed.').waitFor();
    assert.ok((await page.locator('dl.facts').first().innerText()).includes(`${tag}_renamed`));
    log('edited the username (after the confirmation)');

    // Its password history: created by staff, from where, in UTC.
    await page.getByRole('link', { name: 'Password history' }).click();
    const row = await page.locator('tbody tr').first().innerText();
    assert.match(row, /\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.ok(row.includes('account created by staff'), row);
    assert.equal(await page.locator('tbody time[datetime]').count(), 1);
    await shoot('password-history');
    log(`password history: ${row.replace(/\s+/g, ' ')}`);

    // Bulk lock two accounts from the list, sorted by email.
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Search').fill(`${tag}.`);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Email', exact: true }).click();
    await page.waitForURL(/ordering=email/);
    await shoot('users-list');
    for (const t of targets) await page.getByLabel(`Select ${t.email}`).check();
    await page.getByLabel(/With the selected/).selectOption('lock');
    await page.locator('form.bulk').getByLabel('Lock for').selectOption('15');
    await page.getByRole('button', { name: 'Continue…' }).click();
    const question = await page.locator('main').innerText();
    assert.ok(question.includes('Lock sign-in: 2 accounts') && targets.every((t) => question.includes(t.email)), question);
    await shoot('bulk-confirm');
    await page.getByRole('button', { name: 'Yes, lock sign-in (2)' }).click();
    await page.getByText('2 of 2 done.').waitFor();
    await shoot('bulk-result');
    for (const t of targets) assert.equal(await t.loginStatus(), 423);
    log('bulk-locked two accounts after one confirmation: API login answers 423 for both');
    assert.deepEqual(problems, [], 'no console errors or CSP violations');

    log(`every new page fits ${PHONE.width} px; screenshots: ${join(results, 'jobs-*.png')}`);
  } catch (err) {
    await page.screenshot({ path: join(results, 'jobs-failure.png'), fullPage: true }).catch(() => {});
    err.message += `\nscreenshot of the failing page: ${join(results, 'jobs-failure.png')} (at ${page.url()})`;
    throw err;
  } finally {
    await browser.close().catch(() => {});
  }
}
