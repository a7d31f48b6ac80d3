import { DrizzleD1Database, SQLiteD1Session } from 'drizzle-orm/d1';
import { createTableRelationsHelpers, extractTablesRelationalConfig } from 'drizzle-orm/relations';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import * as schema from './schema';

/** What drizzle talks to: the D1 binding (always the primary) or one of its sessions (read replicas). */
export type D1Client = D1Database | D1DatabaseSession;
export type Db = DrizzleD1Database<typeof schema> & { $client: D1Client };

// drizzle() re-derives the relational config of the whole schema on every call (a few % of
// a GET /auth/me's CPU in npm run bench -- --profile). It holds nothing per request, so it is
// derived once per isolate and every handle (one per binding, one per request's D1 session)
// shares it with the dialect.
let shared: { dialect: SQLiteAsyncDialect; relational: ConstructorParameters<typeof DrizzleD1Database>[3] } | null = null;

function sharedParts() {
  if (!shared) {
    const tables = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    shared = { dialect: new SQLiteAsyncDialect(), relational: { fullSchema: schema, schema: tables.tables, tableNamesMap: tables.tableNamesMap } };
  }
  return shared;
}

function build(client: D1Client): Db {
  const { dialect, relational } = sharedParts();
  const session = new SQLiteD1Session(client as D1Database, dialect, relational as never, {});
  // Without the schema the constructor skips making a relational builder per table (a handle
  // is made per request); `db.query` builds them on first use, over the same session.
  const db = new DrizzleD1Database('async', dialect, session as never, undefined) as Db;
  Object.assign(db._, relational);
  let query: Db['query'] | null = null;
  Object.defineProperty(db, 'query', {
    get: () => (query ??= new DrizzleD1Database('async', dialect, session as never, relational as never).query as unknown as Db['query']),
  });
  db.$client = client;
  return db;
}

const instances = new WeakMap<D1Database, Db>();

/**
 * A handle on the D1 binding itself: every query goes to the primary. For queue consumers,
 * cron jobs and the reads that decide a write; a request's own reads use its D1 session
 * (http/db-session.ts).
 */
export function createDb(d1: D1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = build(d1);
    instances.set(d1, db);
  }
  return db;
}

/** A handle on one D1 session (`withSession`): reads may come from a read replica, writes go to the primary. */
export function createSessionDb(session: D1DatabaseSession): Db {
  return build(session);
}
