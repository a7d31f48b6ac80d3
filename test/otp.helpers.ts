import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { expect } from 'vitest';
import worker from '../src/index';
import { randomIp, type ApiResponse } from './helpers/api';
import { extractCode, waitForMail, type DevMail } from './helpers/mail';

export const SIGN_IN_MAIL = /sign-in code/i;
export const RESET_MAIL = /password reset code/i;
export const CHANGED_MAIL = /password was changed/i;
export const VERIFY_MAIL = /verify your email/i;

export interface WorkerCall {
  body?: unknown;
  ip?: string;
  method?: string;
  token?: string;
  /** Bindings and vars to use instead of the test env (e.g. a broken queue, a lower limit). */
  env?: Partial<Cloudflare.Env>;
}

/**
 * Calls the Worker's fetch handler and waits for its waitUntil work too, so a test can
 * look at what the deferred mail work did (or did not do) without polling.
 */
export async function callWorker<T = any>(path: string, call: WorkerCall = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { 'CF-Connecting-IP': call.ip ?? randomIp() };
  if (call.body !== undefined) headers['Content-Type'] = 'application/json';
  if (call.token) headers.Authorization = `Bearer ${call.token}`;
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://gatehouse.test${path}`, {
      method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    }),
    { ...env, ...call.env } as Cloudflare.Env,
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** A queue that refuses every message, as when the mail queue is unavailable. */
export const brokenQueue = {
  send: () => Promise.reject(new Error('queue unavailable')),
  sendBatch: () => Promise.reject(new Error('queue unavailable')),
} as unknown as Queue;

/** A different code of the same shape. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** The newest code mailed to `to` under a subject, optionally newer than an earlier mail. */
export async function codeFromMail(to: string, subject: RegExp, newerThan?: DevMail): Promise<{ code: string; mail: DevMail }> {
  const mail = await waitForMail(to, { subject, newerThan: newerThan?.created_at });
  return { code: extractCode(mail.text), mail };
}

/**
 * Headers as [name, value] pairs in order; the two that differ per request (the request id,
 * the D1 bookmark: where the database's history stood) keep their name and lose their value.
 */
export function stableHeaders(headers: Headers): [string, string][] {
  return [...headers.entries()].map(([name, value]) => (PER_REQUEST.has(name.toLowerCase()) ? [name, '(per request)'] : [name, value]));
}

const PER_REQUEST = new Set(['x-request-id', 'x-gatehouse-bookmark']);

/**
 * Two answers a client cannot tell apart: status, body (keys, order and values, compared
 * as serialized) and every header, name by name and value by value (X-Request-Id and
 * X-Gatehouse-Bookmark by name: both carry one, whose value differs with every request).
 */
export function expectSameAnswer(actual: ApiResponse, expected: ApiResponse, label: string): void {
  expect(actual.status, label).toBe(expected.status);
  expect(JSON.stringify(actual.body), label).toBe(JSON.stringify(expected.body));
  expect(Object.keys(actual.body ?? {}), label).toEqual(Object.keys(expected.body ?? {}));
  expect(stableHeaders(actual.headers), label).toEqual(stableHeaders(expected.headers));
  expect(actual.headers.get('X-Request-Id'), label).toBeTruthy();
}

/** A 429 as API.md wants it: rate_limited, Retry-After in seconds, no-store. */
export function expectLimited(res: ApiResponse, retryAfter?: number): void {
  expect([res.status, res.body?.error?.code], JSON.stringify(res.body)).toEqual([429, 'rate_limited']);
  expect(res.headers.get('Cache-Control')).toBe('no-store');
  const seconds = Number(res.headers.get('Retry-After'));
  if (retryAfter === undefined) expect(seconds).toBeGreaterThan(0);
  else expect(seconds).toBe(retryAfter);
}

/** A distinct client IP (documentation range) for tests that pin one. */
export function uniqueIp(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(2));
  return `203.0.${bytes[0]}.${bytes[1]}`;
}
