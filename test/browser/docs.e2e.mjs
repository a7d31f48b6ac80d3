// /docs in headless Chromium: the API reference renders from /openapi.json with the page's
// CSP intact (no violation, no script error), and every request stays on our origin (the
// renderer is a static asset of the Worker, not a CDN). Run by scripts/browser-test.mjs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function runDocs({ base, chromiumPath, results, log }) {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  const page = await (await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(20_000);
  const problems = [];
  const foreign = [];
  // The browser's own favicon request is the one 404 (the API has no favicon).
  page.on('console', (msg) => msg.type() === 'error' && !msg.location().url.endsWith('/favicon.ico') && problems.push(msg.text()));
  page.on('pageerror', (err) => problems.push(String(err)));
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== new URL(base).origin) foreign.push(req.url());
  });
  try {
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const res = await page.goto('/docs');
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-security-policy'], /script-src 'self'(;|$)/);
    // The document's title and operations, rendered by the renderer from /openapi.json.
    await page.getByRole('heading', { name: 'Gatehouse API' }).first().waitFor();
    await page.getByText('Register an account').first().waitFor();
    await page.getByText('Sign in with a password').first().waitFor();
    // Let late requests (fonts, lazy sections) happen before the checks below.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(results, 'docs.png') });
    // One operation opened: its request body fields come from the route's zod schema.
    await page.getByText('Sign in with a password').first().click();
    await page.getByText('identifier').first().waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(results, 'docs-login.png') });
    // The bundle tries eval once and goes on without it (the reference above rendered):
    // the CSP keeps refusing it. Anything else it is refused fails here.
    const violations = (await page.evaluate(() => window.__cspViolations)).filter((v) => v !== 'script-src eval');
    assert.deepEqual(violations, [], 'CSP violations on /docs');
    assert.deepEqual(foreign, [], 'requests to other origins from /docs');
    assert.deepEqual(problems, [], 'console errors on /docs');
    log('/docs renders the API reference (screenshot test-results/docs.png)');
  } catch (err) {
    await page.screenshot({ path: join(results, 'docs-failure.png'), fullPage: false }).catch(() => {});
    throw err;
  } finally {
    await browser.close();
  }
}
