// The issue-14 jobs: single-event alerts, counters reconciliation, engagement scores.
// A test file of its own: the jobs read whole tables, so they get storage of their own.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { eventAlerts, EVENT_ALERTS_PER_RUN } from '../src/maintenance/event-alerts';
import { reconcileCounters, RECONCILE_LIMITS } from '../src/maintenance/reconcile-counters';
import { engagementScore, engagementScores, ENGAGEMENT_LIMITS } from '../src/maintenance/engagement';
import { getConfig } from '../src/config/config';
import { utcDay } from '../src/activity/daily-activity';
import { jobContext, countRows } from './helpers/maintenance';
import { auditInsert } from '../src/audit/record';
import { createDb } from '../src/db/client';
import { mailSettled, readMailbox } from './helpers/mail';
import { createVerifiedUser, type TestUser } from './helpers/users';

const DAY = 24 * 3600_000;
let hour = 0;
const freshTime = () => Date.UTC(2032, 0, 1) + ++hour * 6 * 3600_000;
const at = (now: number) => setClock({ now: () => now });
afterEach(() => setClock(null));

let admin: TestUser;
beforeAll(async () => {
  admin = await createVerifiedUser();
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(admin.id).run();
});

/** `count` events in one statement (a recursive CTE), flagged or critical as asked. */
async function seedEvents(count: number, fields: { type: string; at: number; severity?: string; review?: 0 | 1; userIds?: string[]; prefix?: string }) {
  const users = JSON.stringify(fields.userIds ?? [null]);
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
     INSERT INTO audit_events (id, type, severity, user_id, actor_id, metadata, created_at, requires_review, risk_score)
     SELECT ?2 || '-' || i, ?3, ?4, json_extract(?5, '$[' || (i % json_array_length(?5)) || ']'), NULL, '{}', ?6 + i, ?7, 10 FROM n`,
  )
    .bind(count, fields.prefix ?? crypto.randomUUID(), fields.type, fields.severity ?? 'medium', users, fields.at, fields.review ?? 0)
    .run();
}

/** `count` users with profiles, written in two statements (ids sort in creation order). */
async function seedUsers(count: number, prefix: string): Promise<string[]> {
  await env.DB.batch([
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
       INSERT INTO users (id, email, password_hash, date_joined, updated_at) SELECT ?2 || printf('%05d', i), ?2 || i || '@example.com', 'x', 0, 0 FROM n`,
    ).bind(count, prefix),
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
       INSERT INTO profiles (user_id, updated_at) SELECT ?2 || printf('%05d', i), 0 FROM n`,
    ).bind(count, prefix),
  ]);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
}

describe('event_alerts', () => {
  it('mails every flagged or critical event once, in one mail per run, also with two runs at once', async () => {
    const now = freshTime();
    const flagged = 2 * EVENT_ALERTS_PER_RUN + 20;
    await seedEvents(flagged - 10, { type: 'mfa_disabled', at: now - 60_000, review: 1, prefix: 'flagged' });
    await seedEvents(10, { type: 'account_locked', at: now - 60_000, severity: 'critical', prefix: 'critical' });
    await seedEvents(30, { type: 'page_view', at: now - 60_000, severity: 'low', prefix: 'quiet' });
    at(now);
    const [a, b] = await Promise.all([eventAlerts.run(jobContext()), eventAlerts.run(jobContext())]);
    expect(Number(a.events_alerted) + Number(b.events_alerted)).toBe(2 * EVENT_ALERTS_PER_RUN);
    const third = await eventAlerts.run(jobContext());
    expect(third.events_alerted).toBe(20);
    expect(await eventAlerts.run(jobContext())).toEqual({ events_alerted: 0, alert_mails_queued: 0 });

    expect(await countRows('SELECT count(*) AS n FROM audit_events WHERE alerted_at IS NOT NULL')).toBe(flagged);
    expect(await countRows("SELECT count(*) AS n FROM audit_events WHERE id LIKE 'quiet-%' AND alerted_at IS NOT NULL")).toBe(0);
    await mailSettled();
    const mails = (await readMailbox(admin.email)).filter((m) => /to review/.test(m.subject));
    expect(mails).toHaveLength(3);
    const listed = mails.flatMap((m) => [...m.text.matchAll(/event ((?:flagged|critical)-\d+)/g)].map((x) => x[1]));
    expect(listed).toHaveLength(flagged);
    expect(new Set(listed).size).toBe(flagged);
  });

  it('a sensitive event recorded through the recorder reaches the next run', async () => {
    const now = freshTime();
    const user = await createVerifiedUser();
    at(now);
    // MFA off is sensitive: flagged for review whatever its score.
    await auditInsert(createDb(env.DB), { type: 'mfa_disabled', userId: user.id, actorId: user.id, at: now });
    expect(await eventAlerts.run(jobContext())).toMatchObject({ events_alerted: 1 });
  });
});

describe('reconcile_counters', () => {
  it('recounts users touched since the last run, page after page, and keeps its place', async () => {
    const now = freshTime();
    const ids = await seedUsers(6, `touched-${hour}-`);
    // Truth: ids[0] follows ids[1]; ids[2] has two live posts and a deleted one.
    await env.DB.batch([
      env.DB.prepare("INSERT INTO follows (id, follower_id, followed_id, status, created_at, updated_at) VALUES (?, ?, ?, 'accepted', 0, 0)").bind(crypto.randomUUID(), ids[0], ids[1]),
      env.DB.prepare('INSERT INTO content_items (user_id, content_id, created_at) VALUES (?1, ?2, 0), (?1, ?3, 0)').bind(ids[2], 'p1', 'p2'),
      env.DB.prepare('INSERT INTO content_items (user_id, content_id, created_at, deleted_at) VALUES (?1, ?2, 0, 0)').bind(ids[2], 'p3'),
      env.DB.prepare('UPDATE profiles SET follower_count = 7, following_count = 7, posts_count = 7 WHERE user_id IN (SELECT value FROM json_each(?))').bind(JSON.stringify(ids)),
    ]);
    // More touching events than one page holds; the users are cycled over them.
    const events = RECONCILE_LIMITS.eventsPerPage * 2 + 50;
    await seedEvents(events, { type: 'follow', at: now - 10 * 60_000, userIds: ids.slice(0, 3) });
    at(now);
    const [a, b] = await Promise.all([reconcileCounters.run(jobContext()), reconcileCounters.run(jobContext())]);
    expect(a.touched_complete && b.touched_complete).toBe(true);
    expect(Number(a.touched_events)).toBeGreaterThanOrEqual(events);
    const rows = await env.DB.prepare('SELECT user_id, follower_count, following_count, posts_count FROM profiles WHERE user_id IN (SELECT value FROM json_each(?)) ORDER BY user_id')
      .bind(JSON.stringify(ids.slice(0, 3)))
      .all();
    expect(rows.results).toEqual([
      { user_id: ids[0], follower_count: 0, following_count: 1, posts_count: 0 },
      { user_id: ids[1], follower_count: 1, following_count: 0, posts_count: 0 },
      { user_id: ids[2], follower_count: 0, following_count: 0, posts_count: 2 },
    ]);
    // The next run starts after the last event it saw.
    at(now + 30 * 60_000);
    expect((await reconcileCounters.run(jobContext())).touched_events).toBe(0);
  });

  it('the slow sweep reaches every user in bounded pages and starts over', async () => {
    const now = freshTime();
    const ids = await seedUsers(RECONCILE_LIMITS.sweepUsers + 40, `sweep-${hour}-`);
    await env.DB.prepare('UPDATE profiles SET posts_count = 9 WHERE user_id IN (SELECT value FROM json_each(?))').bind(JSON.stringify(ids)).run();
    at(now);
    let finished = false;
    for (let run = 0; run < 20 && !finished; run++) finished = Boolean((await reconcileCounters.run(jobContext())).sweep_lap_finished);
    expect(finished).toBe(true);
    expect(await countRows('SELECT count(*) AS n FROM profiles WHERE posts_count = 9')).toBe(0);
  });
});

describe('engagement_scores', () => {
  it('computes the documented formula from 30 days of activity and new followers', async () => {
    const weights = getConfig(env).events.engagementWeights;
    expect(weights).toEqual({ active_days: 2, interactions: 0.5, new_followers: 1, posts: 3 });
    // The README's example: 12 active days, 40 interactions, 5 new followers, 3 posts.
    expect(engagementScore({ activeDays: 12, interactions: 40, newFollowers: 5, posts: 3 }, weights)).toBe(58);
    expect(engagementScore({ activeDays: 30, interactions: 400, newFollowers: 50, posts: 30 }, weights)).toBe(100);

    const now = freshTime();
    const [user, fan1, fan2] = await seedUsers(3, `engaged-${hour}-`);
    const day = (n: number) => utcDay(now - n * DAY);
    await env.DB.batch([
      env.DB.prepare('INSERT INTO daily_activity (user_id, day, seen, posts, interactions) VALUES (?1, ?2, 1, 1, 4), (?1, ?3, 1, 0, 6), (?1, ?4, 1, 5, 50)').bind(user, day(1), day(10), day(45)),
      env.DB.prepare("INSERT INTO follows (id, follower_id, followed_id, status, created_at, updated_at) VALUES (?1, ?2, ?4, 'accepted', ?5, 0), (?3, ?6, ?4, 'accepted', ?7, 0)")
        .bind(crypto.randomUUID(), fan1, crypto.randomUUID(), user, now - 2 * DAY, fan2, now - 40 * DAY),
    ]);
    at(now);
    const report = await engagementScores.run(jobContext());
    expect(report.pass_finished).toBe(true);
    const row = await env.DB.prepare('SELECT engagement_score, interaction_frequency FROM profiles WHERE user_id = ?').bind(user).first();
    // 2 days × 2 + 10 interactions × 0.5 + 1 new follower × 1 + 1 post × 3 = 13 (day 45 and the old follower are outside).
    expect(row).toEqual({ engagement_score: 13, interaction_frequency: 0.33 });
  });

  it('makes one pass a day over more users than a page, safe with two runs at once', async () => {
    const now = freshTime();
    const ids = await seedUsers(ENGAGEMENT_LIMITS.usersPerPage * 2 + 5, `pass-${hour}-`);
    await env.DB.prepare('UPDATE profiles SET engagement_score = 99 WHERE user_id IN (SELECT value FROM json_each(?))').bind(JSON.stringify(ids)).run();
    at(now + DAY);
    const [a, b] = await Promise.all([engagementScores.run(jobContext()), engagementScores.run(jobContext())]);
    expect(a.pass_finished || b.pass_finished).toBe(true);
    expect(await countRows('SELECT count(*) AS n FROM profiles WHERE engagement_score = 99')).toBe(0);
    // The day's pass is done: a later run the same day does nothing.
    at(now + DAY + 3600_000);
    expect(await engagementScores.run(jobContext())).toEqual({ users_scored: 0, pages: 0, pass_finished: true });
  });
});

describe('erasing an account (issue 14 columns)', () => {
  it("clears the account from other people's events it was the target or reviewer of", async () => {
    const { purgeDeletedUsers } = await import('../src/maintenance/purge-deleted-users');
    const gone = await createVerifiedUser();
    const other = await createVerifiedUser();
    const now = Date.now();
    const db = createDb(env.DB);
    const [[liked], [reviewed]] = await db.batch([
      auditInsert(db, { type: 'like', userId: other.id, actorId: other.id, targetUser: gone.id, at: now }).returning(),
      auditInsert(db, { type: 'mfa_disabled', userId: other.id, actorId: other.id, at: now }).returning(),
    ]);
    await env.DB.prepare('UPDATE audit_events SET reviewed_by = ?, reviewed_at = ? WHERE id = ?').bind(gone.id, now, reviewed!.id).run();
    await env.DB.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').bind(now - 60 * DAY, gone.id).run();
    expect(await purgeDeletedUsers.run(jobContext())).toMatchObject({ accounts_purged: 1 });
    const rows = await env.DB.prepare('SELECT id, user_id, target_user, reviewed_by FROM audit_events WHERE id IN (?, ?) ORDER BY type').bind(liked!.id, reviewed!.id).all();
    expect(rows.results).toEqual([
      { id: liked!.id, user_id: other.id, target_user: null, reviewed_by: null },
      { id: reviewed!.id, user_id: other.id, target_user: null, reviewed_by: null },
    ]);
  });
});
