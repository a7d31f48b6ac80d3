import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import { clock } from '../../src/clock';
import { createDb } from '../../src/db/client';
import { getConfig } from '../../src/config/config';
import { createLogger } from '../../src/http/log';
import type { JobContext } from '../../src/maintenance/job';

/** Runs the Worker's scheduled() handler for one cron expression, as the Cron Trigger would. */
export async function runCron(cron: string, workerEnv: Cloudflare.Env = env): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: new Date(clock.now()), cron }), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
}

/** What a job gets from the dispatcher, for calling one job directly and reading its report. */
export function jobContext(workerEnv: Cloudflare.Env = env): JobContext {
  return { env: workerEnv, db: createDb(workerEnv.DB), config: getConfig(workerEnv), now: clock.now(), log: createLogger({ test: true }) };
}

export interface SeedEvents {
  count: number;
  type: string;
  at: number;
  ip?: string | null;
  userId?: string | null;
  /** Distinct user ids cycled over the rows (overrides userId). */
  userIds?: string[];
  idPrefix?: string;
}

/**
 * Inserts `count` audit events in one statement (a recursive CTE, so no bound-parameter
 * limit), as many as a test needs to exceed a batch.
 */
export async function seedAuditEvents(seed: SeedEvents): Promise<void> {
  const prefix = seed.idPrefix ?? crypto.randomUUID();
  const users = seed.userIds ?? [seed.userId ?? null];
  const userList = JSON.stringify(users);
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
     INSERT INTO audit_events (id, type, severity, user_id, actor_id, ip, user_agent, metadata, created_at)
     SELECT ?2 || '-' || i, ?3, 'info', json_extract(?4, '$[' || CAST(i % ?5 AS INTEGER) || ']'), NULL, ?6, 'seed-agent', '{"seed":true}', ?7 FROM n`,
  )
    .bind(seed.count, prefix, seed.type, userList, users.length, seed.ip ?? null, seed.at)
    .run();
}

export async function countRows(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql).bind(...params).first<{ n: number }>();
  return row?.n ?? 0;
}
