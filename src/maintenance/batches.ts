import { sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';

/**
 * D1 allows 1,000 queries per invocation and 100 bound parameters per query, so bulk
 * deletes go in bounded steps: each step is one statement that removes at most
 * `batchSize` rows (chosen by a LIMIT subquery, so no id list is ever bound), and a run
 * stops after `maxBatches` steps. Whatever is left is picked up by the next run.
 */
export interface BatchLimits {
  batchSize: number;
  maxBatches: number;
}

export interface BatchOutcome {
  rows: number;
  batches: number;
  /** False when the cap stopped the loop with rows possibly left. */
  complete: boolean;
}

/** Repeats `step` (which returns how many rows it removed) until a step removes less than a full batch. */
export async function repeatInBatches(step: (batchSize: number) => Promise<number>, limits: BatchLimits): Promise<BatchOutcome> {
  let rows = 0;
  for (let batches = 1; batches <= limits.maxBatches; batches++) {
    const removed = await step(limits.batchSize);
    rows += removed;
    // A short batch means nothing was left (or a concurrent run took the rest).
    if (removed < limits.batchSize) return { rows, batches, complete: true };
  }
  return { rows, batches: limits.maxBatches, complete: false };
}

/** Rows changed by a D1 statement run through drizzle's db.run(). */
export function changes(result: { meta: { changes?: number } }): number {
  return result.meta.changes ?? 0;
}

/** Deletes the rows of `table` whose `time` is before `before`, in bounded batches picked by `key`. */
export function deleteOlderThan(db: Db, table: SQLiteTable, key: SQLiteColumn, time: SQLiteColumn, before: number, limits: BatchLimits) {
  return repeatInBatches(
    async (n) =>
      changes(await db.run(sql`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${time} < ${before} LIMIT ${n})`)),
    limits,
  );
}
