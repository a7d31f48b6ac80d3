import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { clock } from '../src/clock';
import { utcDay } from '../src/activity/daily-activity';
import { createVerifiedUser } from './helpers/users';
import { eventRows, ingest } from './events.fixtures';
import { NOT_CONFIGURED } from '../src/events/ingest/service-token';

async function profile(userId: string) {
  return env.DB.prepare('SELECT posts_count FROM profiles WHERE user_id = ?').bind(userId).first<{ posts_count: number }>();
}

async function today(userId: string) {
  const row = await env.DB.prepare('SELECT posts, interactions FROM daily_activity WHERE user_id = ? AND day = ?')
    .bind(userId, utcDay(clock.now()))
    .first<{ posts: number; interactions: number }>();
  return row ?? { posts: 0, interactions: 0 };
}

describe('POST /internal/events: the service token', () => {
  it('is 401 "not configured" while SERVICE_TOKEN is unset, whatever is presented', async () => {
    const user = await createVerifiedUser();
    for (const [serviceToken, token] of [['', ''], ['  ', '  '], ['', 'anything'], ['', null]] as const) {
      const res = await ingest({ event_type: 'like', user_id: user.id }, { serviceToken, token });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatchObject({ code: 'unauthorized', message: NOT_CONFIGURED });
      expect(res.headers.get('WWW-Authenticate')).toBe('Bearer realm="internal"');
    }
    expect(await eventRows("user_id = ? AND type = 'like'", user.id)).toEqual([]);
  });

  it('is 401 without the token or with a wrong one (also one that shares a prefix)', async () => {
    const user = await createVerifiedUser();
    for (const token of [null, 'wrong', 'test-service-token-0123456789abcde', 'test-service-token-0123456789abcdef0']) {
      const res = await ingest({ event_type: 'like', user_id: user.id }, { token });
      expect(res.status, String(token)).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.body.error.message).not.toBe(NOT_CONFIGURED);
    }
    expect(await eventRows("user_id = ? AND type = 'like'", user.id)).toEqual([]);
  });

  it('is not a user bearer route: an access token does not open it', async () => {
    const user = await createVerifiedUser();
    const login = await import('./helpers/users').then((m) => m.login(user));
    expect((await ingest({ event_type: 'like', user_id: user.id }, { token: login.access })).status).toBe(401);
  });
});

describe('POST /internal/events: content events', () => {
  it('records one event with its target and metadata, and counts an interaction', async () => {
    const author = await createVerifiedUser();
    const fan = await createVerifiedUser();
    const res = await ingest({ event_type: 'like', user_id: fan.id, target_user: author.id, metadata: { post_id: 'p1' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ created: 1, duplicates: 0 });
    const [row] = await eventRows("user_id = ? AND type = 'like'", fan.id);
    expect(row).toMatchObject({ category: 'content', target_user: author.id, actor_id: fan.id, severity: 'low' });
    expect(JSON.parse(row!.metadata)).toMatchObject({ post_id: 'p1' });
    expect(await today(fan.id)).toEqual({ posts: 0, interactions: 1 });
  });

  it('keeps posts_count exact: repeated creates, deletes, a delete before its create', async () => {
    const author = await createVerifiedUser();
    const post = (type: string, contentId: string) => ({ event_type: type, user_id: author.id, content_id: contentId });
    const res = await ingest({
      events: [post('post_create', 'a'), post('post_create', 'b'), post('post_create', 'a'), post('post_create', 'c'), post('post_delete', 'b'), post('post_delete', 'b')],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.created).toBe(6);
    expect(await profile(author.id)).toEqual({ posts_count: 2 });
    expect((await today(author.id)).posts).toBe(3);
    // A delete that arrives before its create: the late create does not revive the post.
    await ingest(post('post_delete', 'd'));
    await ingest(post('post_create', 'd'));
    expect(await profile(author.id)).toEqual({ posts_count: 2 });
    // The id may come in metadata, as the replaced services sent it.
    await ingest({ event_type: 'post_create', user_id: author.id, metadata: { post_id: 'e' } });
    expect(await profile(author.id)).toEqual({ posts_count: 3 });
  });

  it('is idempotent by event_id, also for concurrent duplicates', async () => {
    const author = await createVerifiedUser();
    const event = { event_type: 'post_create', user_id: author.id, content_id: 'x1', event_id: `evt-${crypto.randomUUID()}` };
    const first = await ingest(event);
    expect(first.body.results).toEqual([{ event_id: event.event_id, id: expect.any(String), status: 'created' }]);
    const again = await ingest(event);
    expect(again.body).toMatchObject({ created: 0, duplicates: 1, results: [{ event_id: event.event_id, id: first.body.results[0].id, status: 'duplicate' }] });

    const like = { event_type: 'like', user_id: author.id, event_id: `evt-${crypto.randomUUID()}` };
    const racing = await Promise.all(Array.from({ length: 8 }, () => ingest(like)));
    expect(racing.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(racing.reduce((n, r) => n + r.body.created, 0)).toBe(1);
    expect(await eventRows('external_id = ?', `ingest:${like.event_id}`)).toHaveLength(1);
    expect(await today(author.id)).toEqual({ posts: 1, interactions: 1 });
    expect(await profile(author.id)).toEqual({ posts_count: 1 });
  });

  it('takes up to 100 events in one batch and refuses 101', async () => {
    const users = await Promise.all([createVerifiedUser(), createVerifiedUser()]);
    const events = Array.from({ length: 100 }, (_, i) => ({ event_type: i % 2 ? 'share' : 'post_create', user_id: users[i % 2]!.id, content_id: `c${i}`, event_id: `batch-${users[0]!.id}-${i}` }));
    const res = await ingest({ events });
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.created).toBe(100);
    expect(await profile(users[0]!.id)).toEqual({ posts_count: 50 });
    expect(await today(users[1]!.id)).toEqual({ posts: 0, interactions: 50 });
    const tooMany = await ingest({ events: [...events, events[0]] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.fields).toHaveProperty('events');
  });

  it('refuses bad input with 400 naming the field, writing nothing', async () => {
    const user = await createVerifiedUser();
    const cases: [unknown, string][] = [
      [{ event_type: 'login_failed', user_id: user.id }, 'event_type'],
      [{ event_type: 'page_view', user_id: user.id }, 'event_type'],
      [{ event_type: 'badge_earned', user_id: user.id }, 'event_type'],
      [{ event_type: 'like' }, 'user_id'],
      [{ event_type: 'post_create', user_id: user.id }, 'content_id'],
      [{ event_type: 'like', user_id: user.id, metadata: { big: 'x'.repeat(3000) } }, 'metadata'],
      [{ events: [] }, 'events'],
      [{ events: [{ event_type: 'like', user_id: user.id }, { event_type: 'like', user_id: 'no-such-user' }] }, 'events.1.user_id'],
      [{ event_type: 'like', user_id: user.id, target_user: 'no-such-user' }, 'target_user'],
    ];
    for (const [body, field] of cases) {
      const res = await ingest(body);
      expect(res.status, JSON.stringify(body).slice(0, 100)).toBe(400);
      expect(Object.keys(res.body.error.fields ?? {}), JSON.stringify(res.body)).toContain(field);
    }
    expect(await eventRows('user_id = ? AND category = ?', user.id, 'content')).toEqual([]);
  });
});
