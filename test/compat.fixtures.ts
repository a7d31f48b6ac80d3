import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../src/index';
import type { Env } from '../src/env';
import { normalizedPhone } from './helpers/phone';
import { randomIp, type ApiResponse, type CallOptions } from './helpers/api';

/** Calls the Worker with some of its vars overridden (FRONTEND_URL, DEFAULT_PHONE_REGION, ...). */
export async function apiWith<T = any>(vars: Partial<Env>, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { 'CF-Connecting-IP': options.ip ?? randomIp(), ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] ??= 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const request = new Request(`https://gatehouse.test${path}`, {
    method: options.method ?? (options.body !== undefined ? 'POST' : 'GET'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const ctx = createExecutionContext();
  const res = await worker.fetch(request, { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** A username that is new to this test file. */
export function uniqueUsername(prefix = 'user'): string {
  return `${prefix}_${crypto.randomUUID().slice(0, 8)}`;
}

const issuedPhones = new Set<string>();
/** A valid Pakistani mobile number, national form ("0300 xxxxxxx") and E.164, new to this test file. */
export function uniquePkMobile(): { national: string; e164: string } {
  for (;;) {
    const subscriber = String(1_000_000 + Math.floor(Math.random() * 8_999_999));
    const e164 = `+92300${subscriber}`;
    if (issuedPhones.has(e164) || normalizedPhone(e164) !== e164) continue;
    issuedPhones.add(e164);
    return { national: `0300 ${subscriber}`, e164 };
  }
}
