import { and, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { auditEvents, users } from '../../db/schema';
import { eventValues } from '../../audit/record';
import type { AuditEventType } from '../../audit/event-types';
import { utcDay } from '../../activity/daily-activity';
import { validationError, type FieldErrors } from '../../http/errors';
import type { RequestContext } from '../../http/request-context';
import type { ContentEvent } from './schemas';

/** Content events that count as an interaction of their user in daily_activity. */
export const INTERACTION_TYPES: readonly string[] = ['comment_create', 'like', 'share', 'review_create', 'helpful_vote'];
/** D1 binds at most 100 parameters per statement. */
const ID_CHUNK = 90;

export interface IngestOutcome {
  event_id: string | null;
  id: string;
  status: 'created' | 'duplicate';
}

export interface IngestResult {
  outcomes: IngestOutcome[];
}

/**
 * Records content events and their effects in ONE D1 batch (a transaction): per event the
 * row (ignored when its event_id was seen: unique index), then effects that each re-check
 * that this call's row exists, so a duplicate moves nothing even when two deliveries race;
 * last, posts_count of each author is recounted from the content_items ledger.
 */
export async function ingestContentEvents(ctx: RequestContext, events: ContentEvent[], pathOf: (i: number) => string): Promise<IngestResult> {
  await assertUsersExist(ctx, events, pathOf);
  const prepared = events.map((event) => {
    const values = eventValues(toAuditInput(ctx, event));
    return { event, values, effects: effectsOf(ctx, event, values.id as string) };
  });
  // Raw D1 statements: drizzle's batch() cannot carry the plain SQL of the effects.
  const d1 = ctx.env.DB;
  const statements: D1PreparedStatement[] = [];
  for (const { values, effects } of prepared) {
    const insert = ctx.db.insert(auditEvents).values(values).onConflictDoNothing({ target: auditEvents.externalId }).returning({ id: auditEvents.id });
    statements.push(bound(d1, insert.toSQL()));
    for (const effect of effects) statements.push(bound(d1, dialect.sqlToQuery(effect)));
  }
  const authors = [...new Set(prepared.filter(({ event }) => event.event_type.startsWith('post_')).map(({ event }) => event.user_id))];
  for (const author of authors) statements.push(bound(d1, dialect.sqlToQuery(recountPosts(author))));
  const results = await d1.batch(statements);

  const outcomes: IngestOutcome[] = [];
  let at = 0;
  for (const { event, values, effects } of prepared) {
    const inserted = (results[at]?.results.length ?? 0) > 0;
    at += 1 + effects.length;
    outcomes.push({ event_id: event.event_id ?? null, id: inserted ? (values.id as string) : await existingId(ctx, event), status: inserted ? 'created' : 'duplicate' });
  }
  return { outcomes };
}

const dialect = new SQLiteAsyncDialect();

function bound(d1: D1Database, query: { sql: string; params: unknown[] }): D1PreparedStatement {
  return d1.prepare(query.sql).bind(...query.params);
}

function toAuditInput(ctx: RequestContext, event: ContentEvent) {
  return {
    type: event.event_type as AuditEventType,
    userId: event.user_id,
    actorId: event.user_id,
    targetUser: event.target_user ?? null,
    description: event.description,
    metadata: { ...event.metadata, ...(event.content_id ? { content_id: event.content_id } : {}) },
    externalId: event.event_id ? `ingest:${event.event_id}` : null,
    // The caller is a service: its IP says nothing about the user.
    ip: null,
    at: ctx.now,
  };
}

/** The SQL effects of one event; each runs only if this call inserted the event row `eventRowId`. */
function effectsOf(ctx: RequestContext, event: ContentEvent, eventRowId: string): SQL[] {
  const recorded = sql`EXISTS (SELECT 1 FROM audit_events WHERE id = ${eventRowId})`;
  const day = utcDay(ctx.now);
  const { user_id: userId, content_id: contentId } = event;
  if (event.event_type === 'post_create') {
    return [
      sql`INSERT INTO content_items (user_id, content_id, created_event_id, created_at) SELECT ${userId}, ${contentId}, ${eventRowId}, ${ctx.now}
          WHERE ${recorded} ON CONFLICT (user_id, content_id) DO NOTHING`,
      // A post counts in daily activity only when this event created its ledger row.
      sql`INSERT INTO daily_activity (user_id, day, posts) SELECT ${userId}, ${day}, 1
          WHERE EXISTS (SELECT 1 FROM content_items WHERE user_id = ${userId} AND content_id = ${contentId} AND created_event_id = ${eventRowId})
          ON CONFLICT (user_id, day) DO UPDATE SET posts = posts + excluded.posts`,
    ];
  }
  if (event.event_type === 'post_delete') {
    // A delete before its create leaves a tombstone, so the late create cannot revive the post.
    return [
      sql`INSERT INTO content_items (user_id, content_id, created_event_id, created_at, deleted_at) SELECT ${userId}, ${contentId}, NULL, ${ctx.now}, ${ctx.now}
          WHERE ${recorded} ON CONFLICT (user_id, content_id) DO UPDATE SET deleted_at = coalesce(deleted_at, excluded.deleted_at)`,
    ];
  }
  if (INTERACTION_TYPES.includes(event.event_type)) {
    return [
      sql`INSERT INTO daily_activity (user_id, day, interactions) SELECT ${userId}, ${day}, 1
          WHERE ${recorded} ON CONFLICT (user_id, day) DO UPDATE SET interactions = interactions + excluded.interactions`,
    ];
  }
  return [];
}

/** posts_count is the number of live ledger rows: a recount, never an increment. */
export function recountPosts(userId: string): SQL {
  return sql`UPDATE profiles SET posts_count = (SELECT count(*) FROM content_items WHERE user_id = ${userId} AND deleted_at IS NULL) WHERE user_id = ${userId}`;
}

async function existingId(ctx: RequestContext, event: ContentEvent): Promise<string> {
  const rows = await ctx.db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(sql`${auditEvents.externalId} = ${`ingest:${event.event_id}`}`)
    .limit(1);
  return rows[0]?.id ?? '';
}

/** Every user_id and target_user must be a live account: one unknown id refuses the whole request (400), before anything is written. */
async function assertUsersExist(ctx: RequestContext, events: ContentEvent[], pathOf: (i: number) => string): Promise<void> {
  const wanted = [...new Set(events.flatMap((e) => [e.user_id, ...(e.target_user ? [e.target_user] : [])]))];
  const live = new Set<string>();
  for (let i = 0; i < wanted.length; i += ID_CHUNK) {
    const rows = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, wanted.slice(i, i + ID_CHUNK)), isNull(users.deletedAt)));
    for (const row of rows) live.add(row.id);
  }
  const fields: FieldErrors = {};
  events.forEach((e, i) => {
    if (!live.has(e.user_id)) fields[`${pathOf(i)}user_id`] = ['Unknown user.'];
    if (e.target_user && !live.has(e.target_user)) fields[`${pathOf(i)}target_user`] = ['Unknown user.'];
  });
  if (Object.keys(fields).length) throw validationError(fields);
}
