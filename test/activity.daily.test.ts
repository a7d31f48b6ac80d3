import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addActivity, utcDay } from '../src/activity/daily-activity';
import { createDb } from '../src/db/client';
import { createVerifiedUser } from './helpers/users';

const db = createDb(env.DB);
const NOON = Date.UTC(2034, 6, 1, 12);

async function rowsOf(userId: string) {
  const { results } = await env.DB.prepare(
    'SELECT day, seen, logins, posts, interactions, client_events FROM daily_activity WHERE user_id = ? ORDER BY day',
  )
    .bind(userId)
    .all();
  return results;
}

describe('daily activity', () => {
  it('names the UTC day of an instant', () => {
    expect(utcDay(Date.UTC(2034, 0, 31, 23, 59, 59))).toBe('2034-01-31');
    expect(utcDay(Date.UTC(2034, 1, 1, 0, 0, 0))).toBe('2034-02-01');
  });

  it('adds to one row per user and day, and starts a new row on the next day', async () => {
    const user = await createVerifiedUser();
    await addActivity(db, user.id, NOON, { logins: 1, seen: 1 });
    await addActivity(db, user.id, NOON + 3600_000, { posts: 2, interactions: 3, clientEvents: 4 });
    await addActivity(db, user.id, NOON + 24 * 3600_000, { seen: 1 });
    expect(await rowsOf(user.id)).toEqual([
      { day: '2034-07-01', seen: 1, logins: 1, posts: 2, interactions: 3, client_events: 4 },
      { day: '2034-07-02', seen: 1, logins: 0, posts: 0, interactions: 0, client_events: 0 },
    ]);
  });

  it('loses no count under concurrent writes', async () => {
    const user = await createVerifiedUser();
    await Promise.all(Array.from({ length: 20 }, () => addActivity(db, user.id, NOON, { posts: 1 })));
    expect(await rowsOf(user.id)).toEqual([
      { day: '2034-07-01', seen: 0, logins: 0, posts: 20, interactions: 0, client_events: 0 },
    ]);
  });
});
