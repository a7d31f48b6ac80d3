/**
 * npm run seed-badges [-- --remote] [--env name] [--persist-to dir]
 *
 * Adds the starter badges (src/badges/starter-set.ts) whose slugs are not there yet, each
 * with a badge_created event. Optional: installs start with no badges at all.
 */
import { parseArgs } from 'node:util';
import { badges } from '../src/db/schema';
import { auditInsert } from '../src/audit/record';
import { STARTER_BADGES } from '../src/badges/starter-set';
import { executeStatements, inline, literal, migrateLocal, query, statementBuilder, type Target } from './d1-cli';

const { values } = parseArgs({
  options: { remote: { type: 'boolean', default: false }, env: { type: 'string' }, 'persist-to': { type: 'string' } },
});

function main() {
  const target: Target = { remote: values.remote, env: values.env, persistTo: values['persist-to'] };
  migrateLocal(target);
  const present = new Set(query<{ slug: string }>(target, `SELECT slug FROM badges WHERE slug IN (${STARTER_BADGES.map((b) => literal(b.slug)).join(', ')})`).map((r) => r.slug));
  const missing = STARTER_BADGES.filter((b) => !present.has(b.slug));
  if (missing.length === 0) {
    console.log('Every starter badge is there already; nothing changed.');
    return;
  }
  const db = statementBuilder();
  const now = Date.now();
  const statements = missing.flatMap((b) => {
    const id = crypto.randomUUID();
    return [
      db
        .insert(badges)
        .values({ id, slug: b.slug, name: b.name, description: b.description, category: b.category, icon: b.icon, color: b.color, criteria: JSON.stringify(b.criteria), points: b.points, rarity: b.rarity, isActive: true, createdAt: new Date(now), updatedAt: new Date(now) })
        .onConflictDoNothing({ target: badges.slug }),
      auditInsert(db, { type: 'badge_created', userAgent: 'npm run seed-badges', metadata: { badge_id: id, slug: b.slug, source: 'seed-badges' }, at: now }),
    ];
  });
  executeStatements(target, statements.map(inline));
  console.log(`Added ${missing.length} starter badge(s): ${missing.map((b) => b.slug).join(', ')}.`);
}

try {
  main();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
