// The table (terminal and Markdown), the targets, and the JSON record of a run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { costLines } from './costs.mjs';

const FLOOR_OF = {
  'floor: JWT verify': 'floor: constant JSON',
  me: 'floor: JWT verify',
  refresh: 'floor: JWT verify',
  login: 'floor: password hash',
  register: 'floor: password hash',
};

const require = createRequire(import.meta.url);
const versionOf = (pkg, from) => {
  try {
    return createRequire(from ? require.resolve(from) : import.meta.url)(`${pkg}/package.json`).version;
  } catch {
    return 'unknown';
  }
};

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    workerd: versionOf('workerd', 'miniflare'),
    miniflare: versionOf('miniflare'),
    wrangler: versionOf('wrangler'),
  };
}

export function buildReport({ rows, settings, bundle }) {
  const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
  const withFloor = rows.map((r) => {
    const floor = byName[FLOOR_OF[r.name]];
    return { ...r, floor: floor?.name ?? null, ofFloor: floor ? r.loaded.rps / floor.loaded.rps : null };
  });
  const get = (name) => byName[name];
  const hashCostMs = get('floor: password hash') && get('floor: constant JSON') ? get('floor: password hash').single.p50 - get('floor: constant JSON').single.p50 : null;
  return {
    ranAt: new Date().toISOString(),
    machine: machine(),
    settings,
    bundle: { wrangler: bundle.wrangler, rawBytes: bundle.rawBytes, gzipBytes: bundle.gzipBytes, modules: bundle.modules },
    hashCostMs,
    rows: withFloor,
    paths: pathFigures(rows),
    targets: targets(get, hashCostMs),
  };
}

const round = (x, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

/** Per path (floors too), the figures to compare run to run: latest.json's `paths`. */
function pathFigures(rows) {
  return Object.fromEntries(
    rows.map((r) => [
      r.name,
      {
        rps: round(r.loaded.rps, 1),
        p50_ms: round(r.loaded.p50),
        p99_ms: round(r.loaded.p99),
        cpu_ms_per_request: round(r.cpuMsPerRequest, 3),
        sequential_hops: r.hops?.sequential_hops ?? null,
        deferred_calls: r.hops?.deferred_calls ?? null,
        waves: r.hops?.waves ?? null,
        modelled_far_p50_ms: round(r.modelled?.far),
        modelled_near_p50_ms: round(r.modelled?.near),
        ...(r.preparation
          ? { cpu_ms_per_request_with_preparation: round(r.preparation.cpuMsPerRequestWithPreparation, 3), preparation_cpu_ms: round(r.preparation.cpuMsPerPreparation, 3) }
          : {}),
      },
    ]),
  );
}

/** The issue's targets, read off this run; reported, never asserted. */
function targets(get, hashCostMs) {
  const out = [];
  const me = get('me');
  const jwt = get('floor: JWT verify');
  const hash = get('floor: password hash');
  if (me && jwt) {
    const value = me.loaded.rps / jwt.loaded.rps;
    out.push({ name: 'me throughput ≥ 75% of the JWT floor', value, limit: 0.75, met: value >= 0.75, shown: pct(value) });
  }
  const login = get('login');
  if (login && hash) {
    const value = login.loaded.p50 / hash.loaded.p50;
    out.push({
      name: 'login p50 ≤ 1.3× the hash cost (hash floor p50, same connections)',
      value,
      limit: 1.3,
      met: value <= 1.3,
      shown: `${value.toFixed(2)}×`,
    });
    if (hashCostMs !== null) {
      const single = login.single.p50 / hash.single.p50;
      out.push({ name: 'login p50 ≤ 1.3× the hash cost (one connection)', value: single, limit: 1.3, met: single <= 1.3, shown: `${single.toFixed(2)}×` });
    }
  }
  const refresh = get('refresh');
  if (refresh && me) {
    const value = refresh.loaded.p50 / me.loaded.p50;
    out.push({ name: 'refresh p50 ≤ 3× me p50', value, limit: 3, met: value <= 3, shown: `${value.toFixed(2)}×` });
  }
  return out;
}

const pct = (x) => `${Math.round(x * 100)}%`;
const ms = (x) => (Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x.toFixed(x >= 10 ? 1 : 2)) : '–');
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

function tableRows(report) {
  return report.rows.map((r) => [
    r.name,
    r.floor ? r.floor.replace('floor: ', '') : '–',
    String(r.loaded.connections),
    Math.round(r.loaded.rps).toLocaleString('en-US'),
    r.ofFloor === null ? '–' : pct(r.ofFloor),
    ms(r.loaded.p50),
    ms(r.loaded.p99),
    ms(r.single.p50),
    r.cpuMsPerRequest === null || r.cpuMsPerRequest === undefined ? '–' : r.cpuMsPerRequest.toFixed(2),
    r.hops ? String(r.hops.sequential_hops) : '–',
    r.modelled?.far === undefined ? '–' : ms(r.modelled.far),
    r.modelled?.near === undefined ? '–' : ms(r.modelled.near),
    `${r.loaded.errors}${r.single.errors ? ` (+${r.single.errors})` : ''}`,
  ]);
}

const HEAD = ['path', 'floor', 'conns', 'req/s', 'of floor', 'p50 ms', 'p99 ms', 'p50 ms, 1 conn', 'CPU ms/req', 'hops', 'far p50', 'near p50', 'errors'];

export function markdown(report) {
  const m = report.machine;
  const b = report.bundle;
  const lines = [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
    ...tableRows(report).map((cells) => `| ${cells.join(' | ')} |`),
    '',
    ...report.targets.map((t) => `- ${t.met ? '✅' : '❌'} ${t.name}: **${t.shown}**`),
    report.hashCostMs === null ? '' : `- one password hash (the app's own verifyPassword): **${ms(report.hashCostMs)} ms** (hash floor minus constant floor, one connection)`,
    ...(report.costs ? costLines(report.costs).map((l) => `- ${l}`) : []),
    `- bundle (\`wrangler deploy --dry-run\`): ${b.wrangler ? `**${b.wrangler.gzipKiB} KiB gzip** (${b.wrangler.uploadKiB} KiB) as wrangler reports it; ` : ''}${kib(b.gzipBytes)} gzip, ${kib(b.rawBytes)} raw, measured`,
    '',
    `${report.ranAt.slice(0, 10)} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${m.os} · Node ${m.node} · workerd ${m.workerd} (miniflare ${m.miniflare}) · ` +
      `${report.settings.connections} connections, ${report.settings.durationMs / 1000} s per path (longer for hash-bound paths) after ${report.settings.warmupMs / 1000} s warm-up, ` +
      `client addresses per ${report.settings.addresses === 'request' ? 'request' : 'virtual user'}`,
  ];
  const profile = profileLines(report);
  lines.push('', modelNote(report));
  const prepared = preparationLines(report);
  if (prepared.length) lines.push('', ...prepared.map((l) => `- ${l}`));
  if (profile.length) lines.push('', 'CPU profile, µs of workerd\'s thread per request:', '', ...profile.map((l) => (l.startsWith('  ') ? `  - ${l.trim()}` : `- ${l}`)));
  return `${lines.filter((l, i, all) => l !== '' || all[i - 1] !== '').join('\n')}\n`;
}

/** Per profiled path: workerd CPU per request, by isolate, then by source inside the app. */
export function profileLines(report, top = 12) {
  const lines = [];
  const item = (e) => `${e.name} ${Math.round(e.usPerRequest)} (${Math.round(e.share * 100)}%)`;
  for (const r of report.rows.filter((row) => row.profile)) {
    const p = r.profile;
    const prepared = r.preparation ? ', its preparation included' : '';
    lines.push(`${r.name}: ${Math.round(p.usPerRequest)} µs of workerd's thread per request (profiled run, ${Math.round(p.rps)} req/s${prepared})`);
    lines.push(`  by isolate: ${p.isolates.map(item).join(', ')}`);
    lines.push(`  the Worker's isolate by source: ${p.app.slice(0, top).map(item).join(', ')}`);
  }
  return lines;
}

/** Paths whose every request was prepared untimed (a fresh emailed code): what CPU ms/req leaves out. */
export function preparationLines(report) {
  const fixed = (x) => (Number.isFinite(x) ? x.toFixed(2) : '–');
  return report.rows
    .filter((r) => r.preparation)
    .map(
      (r) =>
        `${r.name}: each request's code was asked for and taken before its timer started (the loaded run's server served those ` +
        `preparations too, so its req/s and p50 are the timed requests' amid them); CPU ms/req is net of that preparation ` +
        `(${fixed(r.preparation.cpuMsPerPreparation)} ms each, measured in a run of preparations alone; ${fixed(r.preparation.cpuMsPerRequestWithPreparation)} with it)` +
        `${r.preparation.errors ? `, ${r.preparation.errors} failed preparations in that run` : ''}`,
    );
}

function modelNote(report) {
  return report.settings.model && report.settings.model !== 'none'
    ? `Distance model applied for real (--model ${report.settings.model}): every storage call was delayed, so the latencies above include it.`
    : 'hops: storage round trips in sequence before the answer (median; model/recorder.mjs). far/near p50: the one-connection p50 plus the modelled waits (D1 primary 100 ms, replica 10; the user\'s Durable Object 100 far / 1 near, a limiter\'s object 1; KV 50 / 5 cold, 5 cached; Queue 5). CPU ms/req: workerd\'s process CPU over the loaded run per answered request (the loaded run passes the bindings through unrecorded: the recorder counts hops in the one-connection run).';
}

export function printReport(report) {
  const rows = [HEAD, ...tableRows(report)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), ''];
  for (const t of report.targets) out.push(`${t.met ? 'met   ' : 'MISSED'}  ${t.name}: ${t.shown}`);
  const profile = profileLines(report);
  if (profile.length) out.push('', 'CPU profile (µs per request):', ...profile, '');
  out.push(modelNote(report));
  out.push(...preparationLines(report));
  if (report.hashCostMs !== null) out.push(`one password hash: ${ms(report.hashCostMs)} ms`);
  if (report.costs) out.push(...costLines(report.costs));
  const b = report.bundle;
  out.push(`bundle: ${b.wrangler ? `${b.wrangler.gzipKiB} KiB gzip (wrangler), ` : ''}${kib(b.gzipBytes)} gzip / ${kib(b.rawBytes)} raw (measured)`);
  const m = report.machine;
  out.push(`machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; workerd ${m.workerd}`);
  process.stdout.write(`\n${out.join('\n')}\n`);
}

export function writeReport(report, dir) {
  mkdirSync(dir, { recursive: true });
  const stamp = report.ranAt.replace(/[:.]/g, '-');
  const files = [join(dir, `bench-${stamp}.json`), join(dir, 'latest.json'), join(dir, 'latest.md')];
  writeFileSync(files[0], JSON.stringify(report, null, 2));
  writeFileSync(files[1], JSON.stringify(report, null, 2));
  writeFileSync(files[2], markdown(report));
  return files;
}
