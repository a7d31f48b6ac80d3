// npm run test:browser — the admin console end to end in a real browser, and /docs.
// Starts `wrangler dev` on a free port with a fresh state directory, creates an admin
// with `npm run create-admin`'s script, then drives Debian's Chromium (playwright-core)
// through test/browser/console.e2e.mjs. Screenshots and the wrangler log land in
// test-results/ (git-ignored). Chromium: /usr/bin/chromium, or CHROMIUM_PATH.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { devNull, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { run } from '../test/browser/console.e2e.mjs';
import { runJobs } from '../test/browser/console-jobs.e2e.mjs';
import { runDocs } from '../test/browser/docs.e2e.mjs';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, 'test-results');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const admin = { email: 'console-admin@example.com', password: 'Velvet-Otter-Garden-92' };
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

if (!existsSync(chromiumPath)) {
  console.error(`No Chromium at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH).`);
  process.exit(1);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForHealth(base, dev, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited with ${dev.exitCode}; see test-results/wrangler-dev.log`);
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer ${base}/health within ${timeoutMs / 1000} s`);
}

mkdirSync(results, { recursive: true });
rmSync(join(results, 'admin-console-failure.png'), { force: true });
const state = mkdtempSync(join(tmpdir(), 'gatehouse-browser-'));
const [port, inspectorPort] = [await freePort(), await freePort()];
const base = `http://localhost:${port}`;
let dev;
let failed = false;
try {
  // The renderer /docs serves is copied from node_modules (normally by npm install).
  spawnSync(process.execPath, ['scripts/copy-docs-assets.mjs'], { cwd: root, stdio: 'inherit' });
  const created = spawnSync(bin('tsx'), ['scripts/create-admin.ts', '--email', admin.email, '--password', admin.password, '--persist-to', state], {
    cwd: root,
    encoding: 'utf8',
  });
  if (created.status !== 0) throw new Error(`create-admin failed:\n${created.stdout}\n${created.stderr}`);
  console.log(`[${elapsed()}] ${created.stdout.trim().split('\n').at(-1)}`);

  const log = openSync(join(results, 'wrangler-dev.log'), 'w');
  // Development said explicitly: the top-level wrangler.toml alone is production (no mailbox).
  // --env-file: an empty one, so a developer's .dev.vars or .env is never read by the test.
  dev = spawn(bin('wrangler'), ['dev', '--env-file', devNull, '--var', 'ENVIRONMENT:development', '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspectorPort), '--persist-to', state, '--show-interactive-dev-session=false'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false' },
  });
  await waitForHealth(base, dev);
  console.log(`[${elapsed()}] wrangler dev is up on ${base}`);

  const say = (msg) => console.log(`[${elapsed()}] ${msg}`);
  // BROWSER_TEST=docs runs only the /docs check (no console steps).
  if (process.env.BROWSER_TEST !== 'docs') {
    await run({ base, admin, chromiumPath, results, log: say });
    await runJobs({ base, admin, chromiumPath, results, log: say });
  }
  await runDocs({ base, chromiumPath, results, log: say });
  console.log(`[${elapsed()}] browser test passed`);
} catch (err) {
  failed = true;
  console.error(`[${elapsed()}] browser test FAILED: ${err?.stack ?? err}`);
} finally {
  if (dev && dev.exitCode === null) {
    try {
      process.kill(-dev.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(state, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
