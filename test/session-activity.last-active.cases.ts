import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { createDb } from '../src/db/client';
import { utcDay } from '../src/activity/daily-activity';
import { claimLastActiveWrite, LAST_ACTIVE_INTERVAL_MS, recordLastActive } from '../src/activity/last-active';
import { IntervalGate } from '../src/isolate/interval-gate';
import { createVerifiedUser, login } from './helpers/users';
import { call, claimsOf, historyRow } from './session-activity.helpers';

afterEach(() => setClock(null));

const lastActive = async (userId: string) =>
  (await env.DB.prepare('SELECT last_active FROM profiles WHERE user_id = ?').bind(userId).first<{ last_active: number | null }>())?.last_active ?? null;
const seen = async (userId: string, at: number) =>
  (await env.DB.prepare('SELECT seen FROM daily_activity WHERE user_id = ? AND day = ?').bind(userId, utcDay(at)).first<{ seen: number }>())?.seen ?? 0;

describe('last_active', () => {
  it('moves at most once a minute per user, after the response; each move counts the day as seen and touches the session', async () => {
    let now = Date.UTC(2026, 5, 1, 12, 0, 0);
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const tokens = await login(user);
    const start = now;
    expect((await call('/api/v1/auth/me', { token: tokens.access })).status).toBe(200);
    expect(await lastActive(user.id)).toBe(start);
    expect(await seen(user.id, now)).toBe(1);

    now += 30_000;
    await call('/api/v1/auth/me', { token: tokens.access });
    expect(await lastActive(user.id)).toBe(start);
    expect(await seen(user.id, now)).toBe(1);

    now = start + 61_000;
    await call('/api/v1/auth/me', { token: tokens.access });
    expect(await lastActive(user.id)).toBe(now);
    expect(await seen(user.id, now)).toBe(2);
    expect((await historyRow(claimsOf(tokens.access).sid))!.last_seen_at).toBe(now);
  });

  it('parallel requests write once', async () => {
    let now = Date.UTC(2026, 5, 2, 12, 0, 0);
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const tokens = await login(user);
    await Promise.all(Array.from({ length: 10 }, () => call('/api/v1/auth/me', { token: tokens.access })));
    expect(await seen(user.id, now)).toBe(1);
  });

  it('refused requests do not count: bad input changes nothing', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    await call('/api/v1/auth/me', { token: 'not-a-token' });
    const refused = await call('/api/v1/auth/me', { method: 'PATCH', token: tokens.access, body: { first_name: 42 } });
    expect(refused.status).toBe(400);
    expect(await lastActive(user.id)).toBeNull();
  });

  it('the D1 condition holds across isolates: many memos, concurrent writes, one move a minute', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    const sid = claimsOf(tokens.access).sid;
    const db = createDb(env.DB);
    const now = Date.UTC(2026, 5, 3, 8, 0, 0);
    const isolates = Array.from({ length: 8 }, () => new IntervalGate(LAST_ACTIVE_INTERVAL_MS));
    const claimed = isolates.map((memo) => claimLastActiveWrite(user.id, now, memo));
    expect(claimed.every(Boolean)).toBe(true); // each isolate alone would write
    const moved = await Promise.all(isolates.map(() => recordLastActive(db, user.id, sid, now)));
    expect(moved.filter(Boolean)).toHaveLength(1);
    expect(await seen(user.id, now)).toBe(1);
    const again = await Promise.all(isolates.map(() => recordLastActive(db, user.id, sid, now + 59_000)));
    expect(again.filter(Boolean)).toHaveLength(0);
    const later = await Promise.all(isolates.map(() => recordLastActive(db, user.id, sid, now + 60_000)));
    expect(later.filter(Boolean)).toHaveLength(1);
    expect(await seen(user.id, now)).toBe(2);
  });

  it('the isolate memo claims a user once a minute', () => {
    const memo = new IntervalGate(LAST_ACTIVE_INTERVAL_MS);
    expect(claimLastActiveWrite('u', 1_000_000, memo)).toBe(true);
    expect(claimLastActiveWrite('u', 1_030_000, memo)).toBe(false);
    expect(claimLastActiveWrite('v', 1_030_000, memo)).toBe(true);
    expect(claimLastActiveWrite('u', 1_060_000, memo)).toBe(true);
  });
});
