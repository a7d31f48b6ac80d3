// Workers on workerd itself: no `wrangler dev` proxy chain in front (it caps a constant-JSON
// Worker far below what workerd serves), and not Miniflare's entry Worker either: each
// Worker gets a socket of its own (a "direct socket"), which answered a constant JSON
// about 3.5 times faster here than Miniflare's routed one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Miniflare, convertV4MiniflareOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from 'wrangler';

/**
 * The bench runs the app as development, said explicitly (generated signing key, dev
 * mailbox): the top-level wrangler.toml alone is production and would refuse to serve.
 */
export const DEVELOPMENT_VARS = { ENVIRONMENT: 'development', PUBLIC_URL: 'http://localhost:8787' };

/**
 * The app's bindings (D1, KV, Durable Objects, Queues, vars) as wrangler.toml declares
 * them, so the bench never drifts from the config, plus DEVELOPMENT_VARS. Options that
 * are empty or that only matter to wrangler's own bundling are dropped.
 */
export function appWorkerOptions(configPath) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(configPath);
  workerOptions.bindings = { ...workerOptions.bindings, ...DEVELOPMENT_VARS };
  return Object.fromEntries(
    Object.entries(workerOptions).filter(
      ([key, value]) =>
        !['rootPath', 'modulesRules'].includes(key) &&
        value !== undefined &&
        !(typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) &&
        !(Array.isArray(value) && value.length === 0),
    ),
  );
}

const MODULE_TYPES = { '.js': 'ESModule', '.mjs': 'ESModule', '.wasm': 'CompiledWasm' };

/** Every module of the bundle directory, the main one first (workerd starts from the first). */
function moduleList(bundle) {
  const files = readdirSync(bundle.dir).filter((f) => MODULE_TYPES[f.slice(f.lastIndexOf('.'))]);
  const ordered = [bundle.mainModule, ...files.filter((f) => f !== bundle.mainModule)];
  return ordered.map((f) => ({ type: MODULE_TYPES[f.slice(f.lastIndexOf('.'))], path: join(bundle.dir, f) }));
}

/** Starts one Worker from a bundle directory; resolves once workerd answers on its socket. */
/**
 * `entrypoint`: a named entrypoint of the bundle to connect the socket to. With static
 * assets, Miniflare's default socket runs every request through its asset proxy and router
 * Workers, which production does not for routes the Worker runs first (`run_worker_first`,
 * decided by Cloudflare's edge, not by a Worker): a named entrypoint goes straight in.
 */
export async function startWorker({ name, bundle, options = {}, inspector = false, storageDir, entrypoint }) {
  const v5 = convertV4MiniflareOptions({
    port: 0,
    ...(inspector ? { inspectorPort: 0 } : {}),
    workers: [{ name, ...options, modules: moduleList(bundle), modulesRoot: bundle.dir, unsafeDirectSockets: [{ port: 0, ...(entrypoint ? { entrypoint } : {}) }] }],
  });
  // Request and console lines would be printed by this process, which also drives the load.
  const mf = new Miniflare({
    ...v5,
    ...(storageDir ? { resourcePersistencePath: storageDir, resourceTmpPath: join(storageDir, 'tmp') } : {}),
    logRequests: false,
    handleStructuredLogs: () => {},
  });
  await mf.ready;
  const url = await mf.unsafeGetDirectURL(name, entrypoint);
  return { mf, url: url.href.replace(/\/$/, ''), inspectorUrl: inspector ? (await mf.getInspectorURL()).href : null };
}

/** Applies migrations/*.sql in order, as `wrangler d1 migrations apply --local` would. */
export async function applyMigrations(mf, migrationsDir, binding = 'DB') {
  const db = await mf.getD1Database(binding);
  const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
  for (const file of files) {
    const statements = unstable_splitSqlQuery(readFileSync(join(migrationsDir, file), 'utf8'))
      .map((s) => s.replaceAll('--> statement-breakpoint', '').trim())
      .filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
  return { db, files };
}
