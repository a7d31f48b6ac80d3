import { fillPlaceholders, getTableColumns, type Column, type Table } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import type { Db } from './client';

/**
 * SQL text built once per isolate and only bound per request. drizzle builds a query's text
 * anew on every call (a tenth of a GET /auth/me's CPU in npm run bench -- --profile); for
 * the hot reads the text never changes, only the values bound to it.
 *
 * The text still comes from drizzle (the schema's names, its quoting), written with
 * `sql.placeholder(name)` for what varies. It runs through the request's `Db` handle
 * (`db.$client`), never a binding of its own, so whatever the handle is bound to (a D1
 * session, the test's instrumented binding) serves it too.
 */
export interface Statement<Args extends Record<string, unknown>> {
  readonly text: string;
  /** The values in the text's order: constants of the query, and `args` for its placeholders. */
  bind(args: Args): unknown[];
}

/** Only builds text (toSQL); it never runs anything, so it needs no binding. */
const builder = drizzle({} as D1Database);
export type Builder = typeof builder;

/** `build` gets a drizzle instance that only builds (selects, updates); the text is made here, once. */
export function statement<Args extends Record<string, unknown>>(build: (qb: Builder) => { toSQL(): { sql: string; params: unknown[] } }): Statement<Args> {
  const { sql: text, params } = build(builder).toSQL();
  return { text, bind: (args) => fillPlaceholders(params, args) };
}

/** Runs `s` on the request's database and returns its rows as arrays of column values. */
export function rawRows<Args extends Record<string, unknown>>(db: Db, s: Statement<Args>, args: Args): Promise<unknown[][]> {
  return db.$client.prepare(s.text).bind(...s.bind(args)).raw();
}

/** Runs `s` on the request's database (a write), for what it changed. */
export function runStatement<Args extends Record<string, unknown>>(db: Db, s: Statement<Args>, args: Args): Promise<D1Result> {
  return db.$client.prepare(s.text).bind(...s.bind(args)).run();
}

/**
 * Reads one table's row out of a raw result row, from `offset` on, as drizzle would: the
 * table's columns in its declared order (drizzle's `select()` order), each value through its
 * column's own mapping (booleans, timestamps), null left null.
 */
export function rowReader<T extends Table>(table: T): (values: readonly unknown[], offset?: number) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table)) as [string, Column][];
  return (values, offset = 0) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < columns.length; i++) {
      const [key, column] = columns[i]!;
      const value = values[offset + i];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  };
}

/** How many columns `table` has: where the next table's columns start in a joined row. */
export const columnCount = (table: Table): number => Object.keys(getTableColumns(table)).length;
