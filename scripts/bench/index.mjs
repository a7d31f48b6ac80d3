// npm run bench [-- --duration 3 --connections 16 --warmup 1 --paths me,refresh,login,register,follow
//                   (also otp-verify, verify-email)
//                   --addresses client|request --profile --costs-only --model far|near]
// The Worker's hot paths on workerd, next to the fastest the same runtime goes, and the
// cost of single operations (token sign/verify, pure-JS PBKDF2: costs.mjs). Each path's
// storage round trips are counted by the distance model (model/recorder.mjs): sequential
// hops before the answer, and the p50 a user far from / near the data would see
// (measured p50 + the modelled waits). `--model far|near` applies those delays for real.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorker } from './bundle.mjs';
import { bundleFloor } from './floors.mjs';
import { appWorkerOptions, applyMigrations, startWorker } from './runtime.mjs';
import { markUnverified, seedAccounts, seedVerifiedUsers, signIn } from './seed.mjs';
import { budgetOf } from './addresses.mjs';
import { closedLoop } from './load.mjs';
import * as scenario from './scenarios.mjs';
import { attribute, startProfiling } from './profile.mjs';
import { buildReport, printReport, writeReport } from './report.mjs';
import { bundleCosts, costLines, costsWorkerOptions, measureCosts } from './costs.mjs';
import { cpuMs, workerdPids } from './cpu.mjs';

if (Number(process.versions.node.split('.')[0]) < 22) {
  throw new Error(`wrangler needs Node 22 or later, this is ${process.version}: run \`npm run bench\`, which uses the Node of node_modules`);
}

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '16' },
    'latency-duration': { type: 'string', default: '1.5' },
    paths: { type: 'string', default: 'me,refresh,login,register,follow' },
    addresses: { type: 'string', default: 'client' },
    profile: { type: 'boolean', default: false },
    'costs-only': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results' },
    model: { type: 'string', default: 'none' },
  },
});
const settings = {
  durationMs: Number(flags.duration) * 1000,
  warmupMs: Number(flags.warmup) * 1000,
  connections: Number(flags.connections),
  latencyMs: Number(flags['latency-duration']) * 1000,
  paths: flags.paths.split(',').map((p) => p.trim()).filter(Boolean),
  addresses: flags.addresses,
  profile: flags.profile,
  model: flags.model,
};
if (!(settings.durationMs > 0 && settings.latencyMs > 0 && settings.warmupMs >= 0 && Number.isInteger(settings.connections) && settings.connections >= 1)) {
  throw new Error('--duration and --latency-duration must be > 0 s, --warmup >= 0 s, --connections a whole number >= 1');
}
if (!['client', 'request'].includes(settings.addresses)) throw new Error('--addresses is client or request');
if (!['none', 'far', 'near'].includes(settings.model)) throw new Error('--model is far, near or none');

const log = (msg) => process.stderr.write(`${msg}\n`);
const work = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
// Local D1 and Durable Objects are SQLite files: on tmpfs, so the disk's fsyncs (which
// production storage does not charge to the Worker) stay out of the numbers.
const storageRoot = mkdtempSync(existsSync('/dev/shm') ? '/dev/shm/gatehouse-bench-' : join(work, 'state-'));
const running = [];

/**
 * One path: its latency alone (one connection), then closed-loop load. A path slower
 * than the window (a password hash per request, or a code asked for before each) gets a
 * longer one: every connection completes about three requests after the queue has filled once.
 */
async function measure(name, target, spec) {
  const { connections } = settings;
  log(`  ${name}`);
  if (target.modelled) await hopsOf(target);
  const single = await closedLoop({ origin: target.url, ...spec, connections: 1, durationMs: settings.latencyMs, warmupMs: Math.min(settings.warmupMs, 300) });
  const hops = target.modelled ? await hopsOf(target, spec.recordedAs) : null;
  // The loaded runs measure the app, not the recorder wrapped around its bindings (under
  // --model its delays are the point, so it stays).
  const unwrapped = target.modelled && settings.model === 'none';
  if (unwrapped) await setRecording(target, false);
  // A prepared path's round is its preparation and request, not the request alone.
  const round = connections * ((spec.prepare ? single.iterationMs : single.p50) || 0);
  const durationMs = Math.max(settings.durationMs, 3 * round);
  const warmupMs = Math.max(settings.warmupMs, round);
  const cpuBefore = cpuMs(target.pid);
  const loaded = await closedLoop({ origin: target.url, ...spec, connections, durationMs, warmupMs });
  const cpuAfter = cpuMs(target.pid);
  const loadedCpuMs = cpuBefore === null || cpuAfter === null || !loaded.answered ? null : cpuAfter - cpuBefore;
  const preparation = spec.prepare ? await preparationCost(target, spec, durationMs) : null;
  const cpuMsPerRequest = cpuPerRequest(loadedCpuMs, loaded, preparation);
  const row = { name, single, loaded: { ...loaded, durationMs, warmupMs }, cpuMsPerRequest, hops, modelled: modelledP50(single, hops) };
  if (preparation) row.preparation = { ...preparation, cpuMsPerRequestWithPreparation: loadedCpuMs === null ? null : loadedCpuMs / loaded.answered };
  if (settings.profile) row.profile = await profileRun(target, spec, durationMs);
  if (unwrapped) await setRecording(target, true);
  return row;
}

async function setRecording(target, on) {
  const res = await fetch(`${target.url}/__bench/record?on=${on ? 1 : 0}`, { method: 'POST' });
  if (!res.ok) throw new Error(`bench: /__bench/record answered ${res.status}`);
}

/**
 * What the distance model recorded since the last call (and resets it): the path's entry,
 * the one named `recordedAs` ("METHOD /path") when the scenario prepares each request with
 * calls of its own (as many as the requests), else the busiest.
 */
async function hopsOf(target, recordedAs) {
  const paths = await (await fetch(`${target.url}/__bench/hops`)).json();
  if (recordedAs) return paths[recordedAs] ? { path: recordedAs, ...paths[recordedAs] } : null;
  const [busiest] = Object.entries(paths).sort((a, b) => b[1].requests - a[1].requests);
  return busiest ? { path: busiest[0], ...busiest[1] } : null;
}

const QUEUE_SETTLE_MS = 1500;

/**
 * workerd's CPU cannot be split by request, so a prepared path's preparation is measured
 * alone (same connections and window, nothing but preparations) and its CPU per
 * preparation is taken off the loaded run's.
 */
async function preparationCost(target, spec, durationMs) {
  // The mail queue delivers in batches within a second: let the loaded run's mails go first.
  await new Promise((resolve) => setTimeout(resolve, QUEUE_SETTLE_MS));
  const before = cpuMs(target.pid);
  const run = await closedLoop({ origin: target.url, ...spec, connections: settings.connections, durationMs, warmupMs: 0, prepareOnly: true });
  const after = cpuMs(target.pid);
  const cpuMsPerPreparation = before === null || after === null || !run.prepared ? null : (after - before) / run.prepared;
  return { prepared: run.prepared, errors: run.errors, cpuMsPerPreparation };
}

/** The loaded run's CPU per answered request, less its preparations' when it had them. */
function cpuPerRequest(loadedCpuMs, loaded, preparation) {
  if (loadedCpuMs === null) return null;
  if (!preparation) return loadedCpuMs / loaded.answered;
  if (preparation.cpuMsPerPreparation === null) return null;
  return (loadedCpuMs - loaded.prepared * preparation.cpuMsPerPreparation) / loaded.answered;
}

/**
 * A far and a near user's p50: the one-connection p50 here plus the median modelled wait.
 * Under `--model` the delays were real, so the measured p50 already holds them.
 */
function modelledP50(single, hops) {
  if (!hops) return null;
  if (settings.model !== 'none') return { [settings.model]: single.p50, applied: true };
  return { far: single.p50 + hops.modelled_wait_ms.far, near: single.p50 + hops.modelled_wait_ms.near, applied: false };
}

/** A further loaded run of the same path with every isolate's CPU profiler on. */
async function profileRun(target, spec, durationMs) {
  const stop = await startProfiling(target.inspectorUrl);
  const run = await closedLoop({ origin: target.url, ...spec, connections: settings.connections, durationMs, warmupMs: 0 });
  const profiles = await stop();
  return { rps: run.rps, ...attribute(profiles, { appTarget: `core:user:${target.name}`, bundleDir: target.bundle.dir, rps: run.rps }) };
}

async function start(name, bundle, options, { modelled = false, entrypoint } = {}) {
  const storageDir = mkdtempSync(join(storageRoot, `${name}-`));
  const before = workerdPids();
  const worker = await startWorker({ name, bundle, options, inspector: settings.profile, storageDir, entrypoint });
  running.push(worker);
  const [pid = null] = [...workerdPids()].filter((p) => !before.has(p));
  return { ...worker, name, bundle, pid, modelled };
}

/** The app's bundle with the distance model's wrapper as its entry (model/entry.mjs). */
function withDistanceModel(bundle) {
  const here = (file) => fileURLToPath(new URL(file, import.meta.url));
  copyFileSync(here('./model/recorder.mjs'), join(bundle.dir, 'recorder.mjs'));
  copyFileSync(here('./model/entry.mjs'), join(bundle.dir, 'model-entry.js'));
  return { ...bundle, mainModule: 'model-entry.js' };
}

/** Token and PBKDF2 costs, measured in their own Worker. */
async function singleOperationCosts(appOptions) {
  log('measuring single-operation costs …');
  const costs = await start('gatehouse-costs', bundleCosts(join(work, 'costs'), appOptions), costsWorkerOptions(appOptions));
  return measureCosts(costs.url);
}

try {
  log('bundling with wrangler deploy --dry-run …');
  const appOptions = appWorkerOptions('wrangler.toml');
  // The follow path measures the work of a follow, not its daily budget (200 a day by default).
  appOptions.bindings = { ...appOptions.bindings, LIMIT_FOLLOWS: '1000000000/60', LIMIT_FOLLOW_DECISIONS: '1000000000/60' };
  // otp-verify and verify-email ask for a fresh code before every request: they measure the
  // code's spending, not the per-address (and per-IP) budget for asking (3 per 10 minutes,
  // resends 1 a minute, by default). The verify routes keep their limits.
  appOptions.bindings = { ...appOptions.bindings, LIMIT_OTP_REQUEST: '1000000000/600', LIMIT_RESEND_PER_HOUR: '1000000000/3600', LIMIT_RESEND_SPACING: '1000000000/60' };
  if (flags['costs-only']) process.stdout.write(`\n${costLines(await singleOperationCosts(appOptions)).join('\n')}\n`);
  else await benchPaths(appOptions);
} finally {
  await Promise.allSettled(running.map((w) => w.mf.dispose()));
  rmSync(work, { recursive: true, force: true });
  rmSync(storageRoot, { recursive: true, force: true });
}

/** The paths under load, next to their floors, and the single-operation costs; prints and writes the report. */
async function benchPaths(appOptions) {
  const bundle = bundleWorker(join(work, 'app'));
  const floorBundle = bundleFloor(join(work, 'floor'), appOptions);

  log('starting the app on workerd (Miniflare) and applying migrations …');
  // The paths are all /api/*, which the Worker runs before any asset (wrangler.toml): the
  // socket goes straight to it, as Cloudflare's edge sends them (model/entry.mjs BenchDirect).
  const app = await start('gatehouse', withDistanceModel(bundle), appOptions, { modelled: true, entrypoint: 'BenchDirect' });
  const { db } = await applyMigrations(app.mf, 'migrations');

  log(`seeding ${settings.connections} verified users …`);
  const users = await seedVerifiedUsers(app.url, db, settings.connections);
  let sessions = await signIn(app.url, users);
  let signedInAt = Date.now();
  // Access tokens live 15 minutes: a long run signs in afresh before they run out.
  const current = async () => {
    if (Date.now() - signedInAt > 10 * 60_000) [sessions, signedInAt] = [await signIn(app.url, users), Date.now()];
    return sessions;
  };

  const jwks = await (await fetch(`${app.url}/.well-known/jwks.json`)).json();
  const seeded = await db.prepare('SELECT password_hash FROM users WHERE id = ?').bind(users[0].id).first();
  const vars = appOptions.bindings ?? {};
  const floor = await start('gatehouse-floor', floorBundle, {
    compatibilityDate: appOptions.compatibilityDate,
    compatibilityFlags: appOptions.compatibilityFlags,
    bindings: {
      FLOOR_JWK: JSON.stringify(jwks.keys[0]),
      FLOOR_ISSUER: vars.PUBLIC_URL,
      FLOOR_AUDIENCE: vars.JWT_AUDIENCE ?? vars.PUBLIC_URL,
      FLOOR_PASSWORD_HASH: seeded.password_hash,
    },
  });

  const addresses = {
    mode: settings.addresses,
    anonymous: budgetOf(vars, 'LIMIT_ANONYMOUS', '20/60'),
    register: budgetOf(vars, 'LIMIT_REGISTER', '3/3600'),
    otpVerify: budgetOf(vars, 'LIMIT_OTP_VERIFY', '5/600'),
    otpRequest: budgetOf(vars, 'LIMIT_OTP_REQUEST', '3/600'),
  };
  const paths = {
    me: async () => scenario.me({ sessions: await current(), addresses }),
    // Fresh sessions: each virtual user starts a chain no one else has rotated.
    refresh: async () => scenario.refresh({ sessions: await signIn(app.url, users), addresses }),
    login: async () => scenario.login({ users, addresses }),
    register: async () => scenario.register({ addresses }),
    follow: async () => {
      await seedFollowBadges(db);
      return scenario.follow({ sessions: await current(), users, addresses });
    },
    'otp-verify': async () => scenario.otpVerify({ origin: app.url, users, addresses }),
    // Accounts of its own: the path makes them unverified again before each request.
    'verify-email': async () => scenario.verifyEmail({ origin: app.url, accounts: await seedAccounts(app.url, settings.connections, 'verify'), addresses, unverify: (user) => markUnverified(db, user) }),
  };
  const unknown = settings.paths.filter((p) => !paths[p]);
  if (unknown.length) throw new Error(`unknown path ${unknown.join(', ')}; known: ${Object.keys(paths).join(', ')}`);

  if (settings.model !== 'none') await fetch(`${app.url}/__bench/model?name=${settings.model}`, { method: 'POST' });
  log('measuring …');
  const rows = [
    await measure('floor: constant JSON', floor, scenario.floorConstant()),
    await measure('floor: JWT verify', floor, scenario.floorJwt({ sessions: await current() })),
    await measure('floor: password hash', floor, scenario.floorHash()),
  ];
  for (const name of settings.paths) rows.push(await measure(name, app, await paths[name]()));

  const report = { ...buildReport({ rows, settings, bundle }), costs: await singleOperationCosts(appOptions) };
  printReport(report);
  log(`\nwritten: ${writeReport(report, flags.out).join(', ')}`);
}

/** Badges that read follower_count and following_count, so each follow's queued evaluation has work to do. */
async function seedFollowBadges(db) {
  const now = Date.now();
  const rows = [
    ['bench-followed', 'follower_count', 1],
    ['bench-popular', 'follower_count', 100],
    ['bench-follows', 'following_count', 5],
  ];
  for (const [slug, field, threshold] of rows) {
    await db
      .prepare("INSERT OR IGNORE INTO badges (id, slug, name, category, criteria, points, rarity, is_active, created_at, updated_at) VALUES (?, ?, ?, 'achievement', ?, 10, 'common', 1, ?, ?)")
      .bind(crypto.randomUUID(), slug, slug, JSON.stringify({ type: 'counter', field, threshold }), now, now)
      .run();
  }
}
