// Closed-loop load: each virtual user sends its next request only when its previous one
// has been answered, over its own keep-alive connection, so the server sets the pace.
import { Pool } from 'undici';

/**
 * @param {object} o
 * @param {string} o.origin        e.g. http://127.0.0.1:8787
 * @param {number} o.connections   virtual users (one connection each)
 * @param {number} o.durationMs    measured window
 * @param {number} o.warmupMs      run before the window, not counted
 * @param {(i: number) => any} o.user                 per-virtual-user state
 * @param {(user: any) => object} o.request           undici request options for the user's next call
 * @param {(user: any, status: number, body: string) => void} [o.onResponse]  e.g. keep a rotated token
 * @param {(user: any) => Promise<void>} [o.prepare]  awaited before each request, outside its timing
 *                                                   (e.g. ask for the emailed code it spends)
 * @param {boolean} [o.prepareOnly]                   only prepare, never request: what the
 *                                                   preparation alone costs the server
 */
export async function closedLoop({ origin, connections, durationMs, warmupMs, user, request, onResponse, prepare, prepareOnly = false }) {
  const pool = new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const started = performance.now();
  const windowStart = started + warmupMs;
  const deadline = windowStart + durationMs;
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let answered = 0;
  let prepared = 0;

  /** False when the preparation failed: that is an error of its own and no request is sent. */
  async function prepareFor(state) {
    prepared += 1;
    try {
      await prepare(state);
      return true;
    } catch (err) {
      const t = performance.now();
      if (t >= windowStart && t <= deadline) {
        const status = `prepare:${err.code ?? err.name}`;
        statuses[status] = (statuses[status] ?? 0) + 1;
        errors += 1;
      }
      return false;
    }
  }

  async function virtualUser(i) {
    const state = await user(i);
    while (performance.now() < deadline) {
      if (prepare && !(await prepareFor(state))) continue;
      if (prepareOnly) continue;
      const options = request(state);
      const t0 = performance.now();
      let status = 0;
      let body = '';
      try {
        const res = await pool.request(options);
        status = res.statusCode;
        body = await res.body.text();
      } catch (err) {
        status = `network:${err.code ?? err.name}`;
      }
      const t1 = performance.now();
      answered += 1;
      onResponse?.(state, status, body);
      // Counted by completion time, as wrk does: slow paths still fill the window.
      if (t1 < windowStart || t1 > deadline) continue;
      latencies.push(t1 - t0);
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (!(status >= 200 && status < 300)) errors += 1;
    }
  }

  await Promise.all(Array.from({ length: connections }, (_, i) => virtualUser(i)));
  await pool.close();
  // A virtual user's round (its preparation included), for sizing a later run's window.
  const iterationMs = ((performance.now() - started) * connections) / Math.max(1, prepare ? prepared : answered);
  return { ...summarize(latencies, durationMs, errors, statuses, connections), answered, prepared, iterationMs };
}

function summarize(latencies, durationMs, errors, statuses, connections) {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return {
    connections,
    requests: sorted.length,
    rps: sorted.length / (durationMs / 1000),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    errors,
    statuses,
  };
}
