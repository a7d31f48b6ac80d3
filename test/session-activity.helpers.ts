import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../src/index';
import { randomIp, type ApiResponse } from './helpers/api';

export interface Call {
  method?: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
  /** What Cloudflare's edge would put in request.cf. */
  cf?: Record<string, string>;
}

/** Calls the Worker's fetch handler, with request.cf if given, and waits for its waitUntil work. */
export async function call<T = any>(path: string, options: Call = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { 'CF-Connecting-IP': randomIp(), ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const init: RequestInit & { cf?: Record<string, string> } = {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  };
  if (options.cf) init.cf = options.cf;
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://gatehouse.test${path}`, init), env as Cloudflare.Env, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** The claims of a JWT (no verification: the tests only read what the Worker signed). */
export function claimsOf(token: string): Record<string, any> {
  const part = token.split('.')[1]!;
  return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
}

export async function historyRow(sessionId: string) {
  return env.DB.prepare('SELECT * FROM session_history WHERE id = ?').bind(sessionId).first<Record<string, any>>();
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;
