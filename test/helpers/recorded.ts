// Calls the Worker with every binding wrapped by the bench's distance model
// (scripts/bench/model/recorder.mjs), so a test sees which storage calls a request waited for.
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { AsyncLocalStorage } from 'node:async_hooks';
import worker from '../../src/index';
import { createRecorder, instrumentEnv, markResponded, summarize, type HopSummary, type Recorder } from '../../scripts/bench/model/recorder.mjs';
import { randomIp } from './api';

const current = new AsyncLocalStorage<Recorder>();
const instrumented = instrumentEnv(env, () => current.getStore());
/** One instrumented env per set of overriding vars: the app caches config and keys per env object. */
const withVars = new Map<string, typeof env>();

function envWith(vars?: Record<string, string>) {
  if (!vars) return instrumented;
  const key = JSON.stringify(vars);
  let found = withVars.get(key);
  if (!found) withVars.set(key, (found = instrumentEnv({ ...env, ...vars } as typeof env, () => current.getStore())));
  return found;
}

export interface RecordedInit {
  body?: unknown;
  token?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Vars that override the test env's (e.g. ENUMERATION_PROTECTION). */
  vars?: Record<string, string>;
}

/** The answer, its headers and what it waited for (hops, waves of call kinds). */
export async function recorded(path: string, init: RecordedInit = {}) {
  const headers: Record<string, string> = { 'CF-Connecting-IP': randomIp(), ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const request = new Request(`https://gatehouse.test${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const rec = createRecorder();
  const ctx = createExecutionContext();
  const res = await current.run(rec, () => worker.fetch(request, envWith(init.vars), ctx));
  markResponded(rec);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  const hops: HopSummary = summarize(rec);
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, hops };
}
