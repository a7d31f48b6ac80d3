import { env, exports } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Client IP (CF-Connecting-IP). A fresh one per call unless given, so limits don't leak between tests. */
  ip?: string;
  token?: string;
  headers?: Record<string, string>;
  /**
   * Also waits for the work the request deferred past its answer (ctx.defer: the sign-in
   * record, notices), for tests that read what a request writes after answering.
   */
  settle?: boolean;
}

/** Calls the Worker's fetch handler as a client would. */
export async function api<T = any>(path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { 'CF-Connecting-IP': options.ip ?? randomIp(), ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const init = {
    method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  };
  const url = `https://gatehouse.test${path}`;
  const ctx = options.settle ? createExecutionContext() : null;
  const res = ctx ? await worker.fetch(new Request(url, init), env, ctx) : await exports.default.fetch(url, init);
  const text = await res.text();
  if (ctx) await waitOnExecutionContext(ctx);
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // leave as text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

let ipCounter = 0;
export function randomIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(Math.random() * 250)}.${ipCounter % 250}`;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}.${crypto.randomUUID().slice(0, 8)}@example.com`;
}

export const STRONG_PASSWORD = 'Velvet-Otter-Garden-92';

export function registration(overrides: Record<string, unknown> = {}) {
  return {
    email: uniqueEmail(),
    password: STRONG_PASSWORD,
    password_confirm: STRONG_PASSWORD,
    first_name: 'Ada',
    last_name: 'Lovelace',
    ...overrides,
  };
}
