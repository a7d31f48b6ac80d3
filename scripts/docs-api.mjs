// npm run docs:api — writes docs/openapi.json and docs/API.md from the document built from the
// app's routes (src/openapi/docs-entry.ts under wrangler dev on a free port: the deployed
// Worker has no generator, it serves docs/openapi.json as a static asset), after validating it
// as OpenAPI 3.1 with @seriousme/openapi-schema-validator, and copies it into public/. `npm run docs:api -- --check` writes nothing and
// fails when either file is stale or the document is invalid (CI). The workerd tests
// (test/openapi.reference.cases.ts) also fail on a stale docs/API.md or docs/openapi.json.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { toMarkdown } from './openapi-markdown.mjs';
import { execFileSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const outputs = { json: join(root, 'docs', 'openapi.json'), markdown: join(root, 'docs', 'API.md') };

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/**
 * A wrangler config for the docs entry: wrangler.toml's runtime (compatibility date and
 * flags, module aliases), none of its bindings or static assets (the entry reads none).
 */
function docsConfig(dir) {
  const text = readFileSync(join(root, 'wrangler.toml'), 'utf8');
  const line = (key) => new RegExp(`^${key}\\s*=.*$`, 'm').exec(text)?.[0] ?? '';
  const aliases = /^\[alias\]\n([\s\S]*?)(?=^\[)/m.exec(text)?.[1] ?? '';
  const absolute = aliases.replace(/^("[^"]+"\s*=\s*)"(\.[^"]+)"/gm, (_, key, value) => `${key}${JSON.stringify(resolve(root, value))}`);
  const config = [`name = "gatehouse-docs-api"`, `main = ${JSON.stringify(join(root, 'src', 'openapi', 'docs-entry.ts'))}`, line('compatibility_date'), line('compatibility_flags'), '', '[alias]', absolute].join('\n');
  const file = join(dir, 'wrangler.toml');
  writeFileSync(file, config);
  return file;
}

async function builtDocument() {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const state = mkdtempSync(join(tmpdir(), 'gatehouse-docs-api-'));
  const dev = spawn(join(root, 'node_modules', '.bin', 'wrangler'), ['dev', '--config', docsConfig(state), '--port', String(port), '--ip', '127.0.0.1', '--inspector-port', String(inspectorPort), '--persist-to', state, '--show-interactive-dev-session=false'], {
    cwd: root,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false' },
  });
  try {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (dev.exitCode !== null) throw new Error(`wrangler dev exited with ${dev.exitCode}`);
      const res = await fetch(`http://127.0.0.1:${port}/openapi.json`).catch(() => null);
      if (res?.ok) return await res.json();
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error('wrangler dev (src/openapi/docs-entry.ts) did not answer within 90 s');
  } finally {
    try {
      process.kill(-dev.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    rmSync(state, { recursive: true, force: true });
  }
}

const doc = await builtDocument();
const result = await new Validator().validate(doc);
if (!result.valid) {
  console.error('docs:api: the document is not valid OpenAPI 3.1:', JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
const wanted = { json: `${JSON.stringify(doc, null, 2)}\n`, markdown: toMarkdown(doc) };
if (check) {
  const stale = Object.keys(outputs).filter((k) => readFileSync(outputs[k], 'utf8') !== wanted[k]);
  if (stale.length) {
    console.error(`docs:api: stale ${stale.map((k) => outputs[k]).join(', ')}: run npm run docs:api`);
    process.exit(1);
  }
  console.log('docs:api: valid OpenAPI 3.1; docs/openapi.json and docs/API.md are current');
} else {
  for (const k of Object.keys(outputs)) writeFileSync(outputs[k], wanted[k]);
  execFileSync(process.execPath, [join(root, 'scripts', 'copy-docs-assets.mjs')], { stdio: 'inherit' });
  console.log(`docs:api: valid OpenAPI 3.1 (${Object.keys(doc.paths).length} paths); wrote docs/openapi.json and docs/API.md`);
}
