/**
 * npm run award-badge -- --user <id|email|username> --badge <slug|id> [--reason …] [--remote] [--env name] [--persist-to dir]
 *
 * Awards a badge as staff would, in the local D1 of `wrangler dev` (default) or the deployed
 * one (--remote). The statements are the Worker's own (awardStatements in src/badges/awards.ts):
 * the row (unique per user and badge), the recomputed badge_points/total_badges and the
 * badge_earned event, run together. Awarding a badge the user holds changes nothing. No mail is
 * sent from here (the queue belongs to the Worker).
 */
import { parseArgs } from 'node:util';
import type { BadgeRow } from '../src/db/schema';
import { awardStatements, newAward } from '../src/badges/awards';
import { usernameKey } from '../src/users/normalize';
import { executeStatements, inline, literal, migrateLocal, query, statementBuilder, type Target } from './d1-cli';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run award-badge -- --user <id|email|username> --badge <slug> [--reason …] [--remote] [--env <name>] [--persist-to <dir>]`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    user: { type: 'string' },
    badge: { type: 'string' },
    reason: { type: 'string', default: '' },
    remote: { type: 'boolean', default: false },
    env: { type: 'string' },
    'persist-to': { type: 'string' },
  },
});

interface BadgeSqlRow {
  id: string;
  slug: string;
  name: string;
  points: number;
  is_active: number;
}

function main() {
  if (!values.user || !values.badge) usage('--user and --badge are required.');
  const target: Target = { remote: values.remote, env: values.env, persistTo: values['persist-to'] };
  migrateLocal(target);
  const key = values.user.trim();
  const [user] = query<{ id: string; email: string }>(
    target,
    `SELECT id, email FROM users WHERE deleted_at IS NULL AND (id = ${literal(key.toLowerCase())} OR email = ${literal(key.toLowerCase())} OR username_key = ${literal(usernameKey(key))}) LIMIT 1`,
  );
  if (!user) usage(`No live user ${key}.`);
  const slug = values.badge.trim().toLowerCase();
  const [badge] = query<BadgeSqlRow>(target, `SELECT id, slug, name, points, is_active FROM badges WHERE slug = ${literal(slug)} OR id = ${literal(slug)} LIMIT 1`);
  if (!badge) usage(`No badge ${slug}.`);
  const held = query<{ id: string }>(target, `SELECT id FROM user_badges WHERE user_id = ${literal(user.id)} AND badge_id = ${literal(badge.id)}`);
  if (held.length) {
    console.log(`${user.email} already holds ${badge.slug}; nothing changed.`);
    return;
  }
  const now = Date.now();
  const ctx = { db: statementBuilder(), meta: { ip: '', userAgent: 'npm run award-badge' }, now };
  const badgeRow = { id: badge.id, slug: badge.slug, name: badge.name, points: badge.points } as BadgeRow;
  const by = { staffId: null, staffRole: 'cli' };
  const row = newAward({ userId: user.id, badge: badgeRow, by, reason: values.reason || 'awarded with npm run award-badge' }, now);
  // A concurrent award of the same pair fails the unique key and with it the whole file.
  executeStatements(target, awardStatements(ctx, row, badgeRow, by).map(inline));
  console.log(`Awarded ${badge.slug} (${badge.points} points) to ${user.email} in ${values.remote ? 'the deployed database' : 'the local database'}.${badge.is_active ? '' : ' (The badge is inactive.)'}`);
}

try {
  main();
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
