// The bench's wrapper around the app's bundle (copied next to it as model-entry.js): the
// same Worker, with every binding recorded per request by the distance model, plus two
// bench-only routes. Never deployed: the app's own bundle has neither.
//   GET  /__bench/hops   per "METHOD /path": requests, hops, deferred calls, modelled waits; resets
//   POST /__bench/model?name=far|near|none   delays every later call by that table, for real
import { AsyncLocalStorage } from 'node:async_hooks';
import app from './index.js';
import { DISTANCES, createRecorder, instrumentEnv, markResponded, summarize } from './recorder.mjs';

export * from './index.js';

const current = new AsyncLocalStorage();
const instrumented = new WeakMap();
/** Recorders by "METHOD /path", summarized when read (deferred calls have finished by then). */
let recorded = new Map();
let delays = null;
const KEEP_PER_PATH = 20_000;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : null;
};

function report() {
  const out = {};
  for (const [key, recs] of recorded) {
    const sums = recs.map((rec) => summarize(rec));
    const byKind = {};
    for (const s of sums) for (const [kind, n] of Object.entries(s.byKind)) byKind[kind] = (byKind[kind] ?? 0) + n / sums.length;
    out[key] = {
      requests: sums.length,
      sequential_hops: median(sums.map((s) => s.sequentialHops)),
      max_sequential_hops: Math.max(...sums.map((s) => s.sequentialHops)),
      deferred_calls: median(sums.map((s) => s.deferredCalls)),
      calls_by_kind: byKind,
      waves: sums[0].waves,
      modelled_wait_ms: Object.fromEntries(Object.keys(DISTANCES).map((name) => [name, median(sums.map((s) => s.modelledWaitMs[name]))])),
    };
  }
  recorded = new Map();
  return out;
}

export default {
  ...app,
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/__bench/hops') return Response.json(report());
    if (url.pathname === '/__bench/model') {
      const name = url.searchParams.get('name') ?? 'none';
      delays = DISTANCES[name] ?? null;
      return Response.json({ model: name, delays });
    }
    let wrapped = instrumented.get(env);
    if (!wrapped) instrumented.set(env, (wrapped = instrumentEnv(env, () => current.getStore())));
    const rec = createRecorder(delays);
    const response = await current.run(rec, () => app.fetch(request, wrapped, ctx));
    markResponded(rec);
    const key = `${request.method} ${url.pathname}`;
    const recs = recorded.get(key) ?? [];
    if (recs.length < KEEP_PER_PATH) recs.push(rec);
    recorded.set(key, recs);
    return response;
  },
};
