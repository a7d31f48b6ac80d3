import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { jobWatermarks } from '../db/schema';

/** Where a job stopped: a time and the key of the last row it handled. */
export interface Watermark {
  at: number;
  key: string;
}

export async function readWatermark(db: Db, name: string): Promise<Watermark | null> {
  const [row] = await db.select({ at: jobWatermarks.at, key: jobWatermarks.key }).from(jobWatermarks).where(sql`${jobWatermarks.name} = ${name}`);
  return row ?? null;
}

/**
 * Moves a watermark forward, never back: of two runs at once, the one that got further
 * wins whatever order their writes land in.
 */
export async function advanceWatermark(db: Db, name: string, mark: Watermark, now: number): Promise<void> {
  await db
    .insert(jobWatermarks)
    .values({ name, at: mark.at, key: mark.key, updatedAt: new Date(now) })
    .onConflictDoUpdate({
      target: jobWatermarks.name,
      set: { at: sql`excluded.at`, key: sql`excluded.key`, updatedAt: sql`excluded.updated_at` },
      setWhere: sql`(excluded.at, excluded.key) > (${jobWatermarks.at}, ${jobWatermarks.key})`,
    });
}
