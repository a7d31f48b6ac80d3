import { env } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import worker from '../src/index';
import type { Env } from '../src/env';
import { randomIp } from './helpers/api';

export const SERVICE_TOKEN = 'test-service-token-0123456789abcdef';

/** POST /api/v1/internal/events with the Worker's env plus SERVICE_TOKEN (the tests pin it blank). */
export async function ingest(body: unknown, options: { token?: string | null; serviceToken?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'CF-Connecting-IP': randomIp() };
  const token = options.token === undefined ? SERVICE_TOKEN : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const workerEnv = { ...env, SERVICE_TOKEN: options.serviceToken ?? SERVICE_TOKEN } as Env;
  const res = await worker.fetch(
    new Request('https://gatehouse.test/api/v1/internal/events', { method: 'POST', headers, body: JSON.stringify(body) }),
    workerEnv,
    createExecutionContext(),
  );
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

/** A request with request.cf.country set, as Cloudflare's edge would. */
export async function fetchFromCountry(path: string, country: string, init: RequestInit & { ip: string }) {
  const headers = new Headers(init.headers);
  headers.set('CF-Connecting-IP', init.ip);
  const res = await worker.fetch(
    new Request(`https://gatehouse.test${path}`, { ...init, headers, cf: { country } } as RequestInit),
    env as Env,
    createExecutionContext(),
  );
  return { status: res.status, body: (await res.json()) as any };
}

export async function eventRows(where: string, ...params: unknown[]) {
  const { results } = await env.DB.prepare(`SELECT * FROM audit_events WHERE ${where} ORDER BY created_at, rowid`)
    .bind(...params)
    .all<Record<string, any>>();
  return results;
}

/** An event row as code from before issue 14 wrote it: severity info/warning, none of the new columns. */
export async function insertLegacyEvent(fields: { type: string; severity: 'info' | 'warning'; userId: string; at: number }) {
  const id = crypto.randomUUID();
  await env.DB.prepare(
    `INSERT INTO audit_events (id, type, severity, user_id, actor_id, ip, user_agent, metadata, created_at)
     VALUES (?1, ?2, ?3, ?4, ?4, '192.0.2.1', 'old-agent', '{"old":true}', ?5)`,
  )
    .bind(id, fields.type, fields.severity, fields.userId, fields.at)
    .run();
  return id;
}
