// Where the time goes: V8 CPU profiles of every isolate in the workerd process (the app,
// and Miniflare's own D1/KV/queue/entry workers) over DevTools, taken while a path is
// under load, with the app's samples mapped through the bundle's source map to the
// source file or package that spent them.
import { readFileSync, existsSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';

const SAMPLING_US = 200;

class DevToolsSession {
  #ws;
  #next = 0;
  #pending = new Map();

  static async open(url) {
    const session = new DevToolsSession(new WebSocket(url));
    await new Promise((resolve, reject) => {
      session.#ws.addEventListener('open', resolve, { once: true });
      session.#ws.addEventListener('error', reject, { once: true });
    });
    return session;
  }

  constructor(ws) {
    this.#ws = ws;
    ws.addEventListener('message', (event) => {
      const msg = JSON.parse(event.data);
      const waiter = this.#pending.get(msg.id);
      if (!waiter) return;
      this.#pending.delete(msg.id);
      if (msg.error) waiter.reject(new Error(msg.error.message));
      else waiter.resolve(msg.result);
    });
  }

  send(method, params = {}) {
    const id = ++this.#next;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close() {
    this.#ws.close();
  }
}

/** Opens a profiling session on every isolate that the inspector lists. */
export async function startProfiling(inspectorUrl) {
  const base = inspectorUrl.replace(/^ws/, 'http').replace(/\/$/, '');
  const targets = await (await fetch(`${base}/json/list`)).json();
  const sessions = [];
  for (const target of targets) {
    const session = await DevToolsSession.open(target.webSocketDebuggerUrl);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: SAMPLING_US });
    await session.send('Profiler.start');
    sessions.push({ id: target.id, session });
  }
  return async function stop() {
    const profiles = [];
    for (const { id, session } of sessions) {
      const { profile } = await session.send('Profiler.stop');
      session.close();
      profiles.push({ id, profile });
    }
    return profiles;
  };
}

/**
 * Where one request's CPU goes. The sampler only ticks while an isolate is entered, so
 * sample counts (not time deltas, which span the gaps) give each place's share; the
 * total is the measured cost of a request on workerd's one thread, 1 s / req/s.
 */
export function attribute(profiles, { appTarget, bundleDir, rps }) {
  const resolve = sourceResolver(bundleDir);
  const isolates = {};
  const app = {};
  const functions = {};
  let total = 0;
  for (const { id, profile } of profiles) {
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const sample of profile.samples) {
      const frame = byId.get(sample).callFrame;
      if (frame.functionName === '(idle)') continue;
      total += 1;
      isolates[id] = (isolates[id] ?? 0) + 1;
      if (id !== appTarget) continue;
      const where = frame.url ? resolve(frame) : null;
      const bucket = where ? where.bucket : frame.functionName ? `${frame.functionName} (native)` : '(native)';
      app[bucket] = (app[bucket] ?? 0) + 1;
      const fn = where ? `${where.name || '(anonymous)'} ${where.file}` : bucket;
      functions[fn] = (functions[fn] ?? 0) + 1;
    }
  }
  const usPerRequest = 1e6 / rps;
  const share = (map) =>
    Object.entries(map)
      .map(([name, n]) => ({ name, share: n / total, usPerRequest: (n / total) * usPerRequest }))
      .filter((e) => e.share >= 0.005)
      .sort((a, b) => b.share - a.share);
  return { usPerRequest, isolates: share(isolates), app: share(app), functions: share(functions).slice(0, 25) };
}

/** Generated position -> {bucket, file:line, name} in the original sources. */
function sourceResolver(bundleDir) {
  const mapFile = join(bundleDir, 'index.js.map');
  const map = existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8'))) : null;
  const cache = new Map();
  return (frame) => {
    // workerd's own JS (e.g. "cloudflare-internal:d1-api", the D1 binding) is not in the bundle.
    if (!frame.url.endsWith('.js') || frame.url.includes(':')) return { bucket: frame.url, file: frame.url, name: frame.functionName };
    const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}`;
    let found = cache.get(key);
    if (!found) {
      const entry = map?.findEntry(frame.lineNumber, frame.columnNumber);
      const source = entry?.originalSource;
      found = source
        ? { bucket: bucketOf(source), file: `${shortPath(source)}:${entry.originalLine + 1}`, name: entry.name ?? frame.functionName }
        : { bucket: frame.url.split('/').pop() || '(runtime)', file: frame.url, name: frame.functionName };
      cache.set(key, found);
    }
    return found;
  };
}

const shortPath = (source) => source.replace(/^.*?(node_modules\/|src\/)/, '$1');

/** node_modules/<pkg> -> pkg; src/<folder>/<file> -> src/<folder>/<file>. */
function bucketOf(source) {
  // drizzle-orm's own maps point one level up, at "../src/*.ts", so it lands here.
  if (/node_modules\/src\//.test(source)) return 'drizzle-orm';
  const path = source.replace(/^.*?(node_modules\/|src\/)/, '$1');
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1];
  return path.startsWith('src/') ? path : `(${path.split('/').pop()})`;
}
