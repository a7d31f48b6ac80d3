import type { Env } from '../../env';
import type { SessionRecord } from './sessions';
import { rememberBounded } from '../../isolate/bounded-memo';

/**
 * A fast, global "this session is dead" mark in KV, written when a session is revoked,
 * with a TTL of what was left of its life. It lets read routes in any location refuse a
 * dead session's access token without a trip to the Durable Object. It is only a
 * shortcut: KV is eventually consistent, and the Durable Object remains the authority.
 */
const KV_MIN_TTL = 60;
const key = (sessionId: string) => `revoked:session:${sessionId}`;

export async function markRevoked(env: Env, sessions: Pick<SessionRecord, 'id' | 'absoluteExpiresAt'>[], now: number): Promise<void> {
  for (const s of sessions) remember(isolateMemo, s.id, true, now);
  await Promise.all(
    sessions.map((s) =>
      env.KV.put(key(s.id), '1', { expirationTtl: Math.max(KV_MIN_TTL, Math.ceil((s.absoluteExpiresAt - now) / 1000)) }),
    ),
  );
}

/**
 * The mark reaches every read within a minute, the window the README states: the location's
 * cache keeps a read for MARK_CACHE_TTL, and this isolate keeps its last answer for
 * MEMO_MS more. A session in use is checked on every request, so it costs a KV read (a
 * subrequest) at most every 10 s per isolate, not one per request.
 */
const MARK_CACHE_TTL = 50;
export const MEMO_MS = 10_000;
/** Enough for the sessions one isolate serves within MEMO_MS; the oldest answer goes first. */
export const MEMO_LIMIT = 10_000;
/** This isolate's answers: session id → the mark's presence and until when it holds (app clock). */
export type MarkMemo = Map<string, { revoked: boolean; until: number }>;
const isolateMemo: MarkMemo = new Map();

function remember(memo: MarkMemo, sessionId: string, revoked: boolean, now: number): void {
  rememberBounded(memo, sessionId, { revoked, until: now + MEMO_MS }, MEMO_LIMIT);
}

export async function isMarkedRevoked(env: Env, sessionId: string, now: number, memo: MarkMemo = isolateMemo): Promise<boolean> {
  const known = memo.get(sessionId);
  if (known && now < known.until && now >= known.until - MEMO_MS) return known.revoked;
  const revoked = (await env.KV.get(key(sessionId), { cacheTtl: MARK_CACHE_TTL })) !== null;
  remember(memo, sessionId, revoked, now);
  return revoked;
}
