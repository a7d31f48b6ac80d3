import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { blocks, professionalProfiles, profiles } from '../db/schema';
import { readSettings } from '../settings/store';

/** What the console's user page shows of the social layer: profile, settings, professional card, counts, blocks. */
export async function socialDetail(db: Db, userId: string) {
  const [[profile], [professional], blocked, blockedBy] = await db.batch([
    db.select().from(profiles).where(eq(profiles.userId, userId)).limit(1),
    db.select().from(professionalProfiles).where(eq(professionalProfiles.userId, userId)).limit(1),
    db.select().from(blocks).where(eq(blocks.blockerId, userId)).orderBy(desc(blocks.createdAt)).limit(50),
    db.select().from(blocks).where(eq(blocks.blockedId, userId)).orderBy(desc(blocks.createdAt)).limit(50),
  ]);
  return { profile, professional, blocked, blockedBy, settings: await readSettings(db, userId) };
}
export type SocialDetail = Awaited<ReturnType<typeof socialDetail>>;
