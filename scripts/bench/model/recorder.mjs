// The distance model: wraps a Worker's bindings so every storage call a request makes is
// recorded (kind, wave, before or after the response) and, when asked, delayed by what that
// call would cost a user far from (or near) the data. Plain JavaScript with no imports, so the
// bench's wrapper Worker and the tests (test/hops.test.ts) share it.
//
// A "wave" is a set of calls in flight together: a call starts a new wave unless it starts
// before any call of the current wave has finished (Promise.all of two reads is one wave; two
// awaited reads are two). The sequential hops of a request are its waves that finished
// before the response; calls still running when the response left are "deferred"
// (waitUntil, fire-and-forget) and cost the user nothing.

/**
 * Delay per call kind, in ms: the defaults of issue 18 (D1 primary far from everyone).
 * - `do`: the user's object, far from a user who is away from where the account began.
 * - `do-limiter`: a rate limiter's object, keyed by the client's address (or the account,
 *   or the address being mailed) and created by that client's first request, so Cloudflare
 *   places it near that client.
 * - `kv-read-cached`: a KV read with `cacheTtl`, served from the location's cache once the
 *   key (or its absence) was read there within that time; `kv-read` is a cold read.
 */
export const DISTANCES = {
  far: { 'd1-primary': 100, 'd1-replica': 10, do: 100, 'do-limiter': 1, 'kv-read': 50, 'kv-read-cached': 5, 'kv-write': 50, queue: 5 },
  near: { 'd1-primary': 100, 'd1-replica': 10, do: 1, 'do-limiter': 1, 'kv-read': 5, 'kv-read-cached': 5, 'kv-write': 5, queue: 5 },
};

/** Object namespaces whose objects sit near the client that created them (see `do-limiter`). */
const LIMITER_NAMESPACES = new Set(['RATE_LIMITER']);

export function createRecorder(delays = null) {
  return { calls: [], waves: 0, waveCompletions: -1, completions: 0, responded: false, delays };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function record(current, kind, run) {
  const rec = current();
  if (!rec) return run();
  if (rec.waves === 0 || rec.completions !== rec.waveCompletions) {
    rec.waves += 1;
    rec.waveCompletions = rec.completions;
  }
  const call = { kind, wave: rec.waves, afterResponse: rec.responded, done: false };
  rec.calls.push(call);
  try {
    const delay = rec.delays?.[kind];
    if (delay) await sleep(delay);
    return await run();
  } finally {
    call.done = true;
    call.doneBeforeResponse = !rec.responded;
    rec.completions += 1;
  }
}

/** Marks the response as sent: calls not finished by now are deferred. */
export function markResponded(rec) {
  rec.responded = true;
}

/** What one request did: hops before the response, deferred calls, calls by kind, and the modelled wait per distance. */
export function summarize(rec, distances = DISTANCES) {
  const before = rec.calls.filter((c) => c.doneBeforeResponse);
  const waves = [...new Set(before.map((c) => c.wave))];
  const modelled = Object.fromEntries(
    Object.entries(distances).map(([name, table]) => [
      name,
      waves.reduce((sum, wave) => sum + Math.max(0, ...before.filter((c) => c.wave === wave).map((c) => table[c.kind] ?? 0)), 0),
    ]),
  );
  const byKind = {};
  for (const c of rec.calls) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
  return {
    sequentialHops: waves.length,
    calls: rec.calls.length,
    deferredCalls: rec.calls.length - before.length,
    waves: waves.map((wave) => before.filter((c) => c.wave === wave).map((c) => c.kind)),
    byKind,
    modelledWaitMs: modelled,
  };
}

const isD1 = (b) => typeof b?.prepare === 'function' && typeof b?.batch === 'function';
const isKv = (b) => typeof b?.getWithMetadata === 'function' && typeof b?.put === 'function';
const isDoNamespace = (b) => typeof b?.idFromName === 'function' && typeof b?.get === 'function';
const isQueue = (b) => typeof b?.send === 'function' && typeof b?.sendBatch === 'function';

/**
 * A copy of `env` whose D1, KV, Durable Object and Queue bindings record into `current()`
 * (the request's recorder, e.g. from an AsyncLocalStorage; null records nothing). Make it
 * once per env and reuse it: the app caches config and keys per env and per binding object.
 */
export function instrumentEnv(env, current) {
  const out = {};
  for (const [name, binding] of Object.entries(env)) {
    if (isD1(binding)) out[name] = wrapD1(binding, current, null);
    else if (isKv(binding)) out[name] = wrapKv(binding, current);
    else if (isDoNamespace(binding)) out[name] = wrapNamespace(binding, current, LIMITER_NAMESPACES.has(name) ? 'do-limiter' : 'do');
    else if (isQueue(binding)) out[name] = wrapQueue(binding, current);
    else out[name] = binding;
  }
  return out;
}

const READ_ONLY = /^\s*(select|with\s[\s\S]*\bselect\b(?![\s\S]*\b(insert|update|delete)\b))/i;

/**
 * Where a D1 call goes. The binding itself: the primary. In a session (withSession): writes
 * go to the primary; a read goes to the nearest replica, except the first call of a session
 * started with 'first-primary'.
 */
function d1Kind(session, sqls) {
  if (!session) return 'd1-primary';
  const first = session.calls++ === 0;
  if (first && session.start === 'first-primary') return 'd1-primary';
  return sqls.every((s) => READ_ONLY.test(s)) ? 'd1-replica' : 'd1-primary';
}

const REAL = new WeakMap();

function wrapStatement(statement, sql, current, session) {
  const wrapped = new Proxy(statement, {
    get(target, prop) {
      if (prop === 'bind') return (...args) => wrapStatement(target.bind(...args), sql, current, session);
      if (['first', 'all', 'run', 'raw'].includes(prop)) return (...args) => record(current, d1Kind(session, [sql]), () => target[prop](...args));
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  REAL.set(wrapped, { statement, sql });
  return wrapped;
}

function wrapD1(db, current, session) {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql) => wrapStatement(target.prepare(sql), sql, current, session);
      if (prop === 'batch') {
        return (statements) => {
          const real = statements.map((s) => REAL.get(s) ?? { statement: s, sql: '' });
          return record(current, d1Kind(session, real.map((r) => r.sql)), () => target.batch(real.map((r) => r.statement)));
        };
      }
      if (prop === 'exec') return (sql) => record(current, 'd1-primary', () => target.exec(sql));
      if (prop === 'withSession') return (start) => wrapD1(target.withSession(start), current, { start, calls: 0 });
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function wrapKv(kv, current) {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const kind = ['get', 'getWithMetadata', 'list'].includes(prop) ? 'kv-read' : ['put', 'delete'].includes(prop) ? 'kv-write' : null;
      if (!kind) return value.bind(target);
      return (...args) => record(current, kind === 'kv-read' && args[1]?.cacheTtl ? 'kv-read-cached' : kind, () => value.apply(target, args));
    },
  });
}

function wrapQueue(queue, current) {
  return new Proxy(queue, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      return ['send', 'sendBatch'].includes(prop) ? (...args) => record(current, 'queue', () => value.apply(target, args)) : value.bind(target);
    },
  });
}

function wrapNamespace(namespace, current, kind) {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop === 'get' || prop === 'getByName') return (...args) => wrapStub(value.apply(target, args), current, kind);
      return value.bind(target);
    },
  });
}

/** Every method called on a stub is one round trip to the object (RPC or fetch). */
function wrapStub(stub, current, kind) {
  return new Proxy(stub, {
    get(target, prop) {
      if (prop === 'then' || typeof prop === 'symbol' || prop === 'id' || prop === 'name') return Reflect.get(target, prop, target);
      return (...args) => record(current, kind, () => target[prop](...args));
    },
  });
}
