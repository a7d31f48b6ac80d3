// The bench's wrapper around the app's bundle (copied next to it as model-entry.js): the
// same Worker, with every binding recorded per request by the distance model, plus two
// bench-only routes. Never deployed: the app's own bundle has none of them.
//   GET  /__bench/hops   per "METHOD /path": requests, hops, deferred calls, modelled waits; resets
//   POST /__bench/model?name=far|near|none   delays every later call by that table, for real
//   POST /__bench/record?on=0|1   records bindings (on, the default) or passes them through
//        untouched, so the loaded run's CPU and req/s are the app's own, not the recorder's
//   GET  /__bench/last-code?to=<email>&template=<name>[&wait=<ms>]   takes the latest code the
//        app queued for that mail (login_code, verify_email …); waits for it up to `wait` ms
//        (codes are often queued after the answer, in waitUntil); 404 when none came
import { AsyncLocalStorage } from 'node:async_hooks';
import { WorkerEntrypoint } from 'cloudflare:workers';
import app from './index.js';
import { DISTANCES, createRecorder, instrumentEnv, markResponded, summarize } from './recorder.mjs';

export * from './index.js';

const current = new AsyncLocalStorage();
const instrumented = new WeakMap();
/** Recorders by "METHOD /path", summarized when read (deferred calls have finished by then). */
let recorded = new Map();
let delays = null;
let recording = true;
const codeKeeping = new WeakMap();
const KEEP_PER_PATH = 20_000;

/**
 * The latest code per mail template and recipient, from the mail jobs the app queued
 * (src/mail/enqueue.ts: {template, to, data: {code, …}}), until a bench client takes it.
 * Only the latest: the app's new code kills the previous one anyway.
 */
const mailedCodes = new Map();
// Polls back off to every 10 ms: each wake-up is CPU, and on a loaded server a code can
// take long enough that 2 ms polls would add several ms of CPU to each preparation.
const CODE_POLL_STEPS_MS = [1, 2, 4, 8, 10];
const codeKey = (template, to) => `${template} ${String(to).toLowerCase()}`;

function keepCode(body) {
  if (typeof body?.template === 'string' && typeof body?.to === 'string' && typeof body?.data?.code === 'string') {
    mailedCodes.set(codeKey(body.template, body.to), body.data.code);
  }
}

const isQueue = (b) => typeof b?.send === 'function' && typeof b?.sendBatch === 'function';

/** A queue binding that keeps the codes of what it sent (once the send succeeded). */
function keepingCodes(queue) {
  return new Proxy(queue, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'send') {
        return async (body, ...rest) => {
          await value.call(target, body, ...rest);
          keepCode(body);
        };
      }
      if (prop === 'sendBatch') {
        return async (messages, ...rest) => {
          await value.call(target, messages, ...rest);
          for (const message of messages) keepCode(message?.body);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const withCodeKeeping = (env) => Object.fromEntries(Object.entries(env).map(([name, b]) => [name, isQueue(b) ? keepingCodes(b) : b]));

/** Polled, not woken by the sending request: that runs in another request's context, and workerd warns about promises resolved across requests. */
async function takeCode(params) {
  const key = codeKey(params.get('template') ?? '', params.get('to') ?? '');
  const waitMs = Math.min(Number(params.get('wait') ?? 5000) || 0, 30_000);
  for (let waited = 0, poll = 0; ; poll += 1) {
    const code = mailedCodes.get(key);
    if (code !== undefined) {
      mailedCodes.delete(key);
      return Response.json({ code });
    }
    if (waited >= waitMs) return Response.json({ error: 'no code queued' }, { status: 404 });
    const step = CODE_POLL_STEPS_MS[Math.min(poll, CODE_POLL_STEPS_MS.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, step));
    waited += step;
  }
}

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

const handler = {
  ...app,
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === '/__bench/hops') return Response.json(report());
    if (url.pathname === '/__bench/model') {
      const name = url.searchParams.get('name') ?? 'none';
      delays = DISTANCES[name] ?? null;
      return Response.json({ model: name, delays });
    }
    if (url.pathname === '/__bench/last-code') return takeCode(url.searchParams);
    if (url.pathname === '/__bench/record') {
      recording = url.searchParams.get('on') !== '0';
      return Response.json({ recording });
    }
    if (!recording) {
      let keeping = codeKeeping.get(env);
      if (!keeping) codeKeeping.set(env, (keeping = withCodeKeeping(env)));
      return app.fetch(request, keeping, ctx);
    }
    let wrapped = instrumented.get(env);
    if (!wrapped) instrumented.set(env, (wrapped = instrumentEnv(withCodeKeeping(env), () => current.getStore())));
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

export default handler;

/**
 * The bench's socket (runtime.mjs startWorker `entrypoint`): the same handler, reached
 * without Miniflare's asset proxy and router in front, as /api/* is in production.
 */
export class BenchDirect extends WorkerEntrypoint {
  fetch(request) {
    return handler.fetch(request, this.env, this.ctx);
  }
}
