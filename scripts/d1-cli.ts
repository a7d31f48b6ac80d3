/**
 * What the D1 command-line tools share: the wrangler target flags (--remote, --env,
 * --persist-to), running wrangler, reading rows, and turning drizzle statements (the
 * Worker's own, built by src/) into SQL text for `wrangler d1 execute --file`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/d1';
import * as schema from '../src/db/schema';

const root = resolve(import.meta.dirname, '..');
const wranglerBin = join(root, 'node_modules', '.bin', 'wrangler');

export interface Target {
  remote: boolean;
  env?: string;
  persistTo?: string;
}

const flags = (t: Target) => [t.remote ? '--remote' : '--local', ...(t.env ? ['--env', t.env] : []), ...(t.persistTo && !t.remote ? ['--persist-to', t.persistTo] : [])];

export function wrangler(args: string[], capture = false): string {
  const result = spawnSync(wranglerBin, args, { cwd: root, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  if (result.status !== 0) {
    if (capture && result.stdout) console.error(result.stdout);
    throw new Error(`wrangler ${args.slice(0, 3).join(' ')} … failed`);
  }
  return result.stdout ?? '';
}

/** A fresh local database has no tables yet; a deployed one is migrated by its deploy. */
export function migrateLocal(t: Target): void {
  if (!t.remote) wrangler(['d1', 'migrations', 'apply', 'DB', ...flags(t)]);
}

export function query<T>(t: Target, sqlText: string): T[] {
  const out = JSON.parse(wrangler(['d1', 'execute', 'DB', ...flags(t), '--json', '--command', sqlText], true)) as { results: T[] }[];
  return out[0]?.results ?? [];
}

/** SQLite literal of a bound value. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** Drizzle's `{sql, params}` with the parameters written in (drizzle binds every value, so `?` never appears in a literal). */
export function inline(statement: { toSQL(): { sql: string; params: unknown[] } }): string {
  const { sql, params } = statement.toSQL();
  let i = 0;
  return `${sql.replace(/\?/g, () => literal(params[i++]))};`;
}

/** Runs statements as one file (D1 runs a file's statements together). */
export function executeStatements(t: Target, statements: string[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-d1-'));
  try {
    const file = join(dir, 'statements.sql');
    writeFileSync(file, statements.join('\n'), { mode: 0o600 });
    wrangler(['d1', 'execute', 'DB', ...flags(t), '--yes', '--file', file], true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A drizzle instance that only builds statements (never executes): the Worker's query code, run for its SQL. */
export const statementBuilder = () => drizzle({} as D1Database, { schema });
