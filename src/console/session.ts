import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Env } from '../env';
import { sha256Hex } from '../crypto/hash';
import { randomToken } from '../crypto/random';
import { verifyAccessToken } from '../tokens';
import type { TokenResponse } from '../sessions/tokens';
import { accountState } from '../accounts/state/client';

/**
 * Console sessions. Signing in opens an ordinary session in the account's Durable Object
 * (so it is listed, and "sign out everywhere" ends it); the browser gets only a random
 * secret in a `__Host-` cookie (HttpOnly, Secure, SameSite=Strict). KV maps the secret's
 * hash to the account, that session and the session's CSRF token, for at most 8 hours.
 * KV is only the lookup: every request also asks the Durable Object whether the session
 * is still open and D1 whether the account is still staff.
 */
export const CONSOLE_COOKIE = 'gatehouse_console';
export const CONSOLE_SESSION_SECONDS = 8 * 3600;

export interface ConsoleSession {
  user_id: string;
  session_id: string;
  csrf: string;
  expires_at: number;
}

const kvKey = async (secret: string) => `console:session:${await sha256Hex(secret)}`;

/** After a successful sign-in: remembers its session and sets the cookie. */
export async function openConsoleSession(c: Context, tokens: TokenResponse, now: number): Promise<void> {
  const env = c.env as Env;
  const claims = await verifyAccessToken(env, tokens.access, now);
  const secret = randomToken(32);
  const record: ConsoleSession = {
    user_id: claims.sub,
    session_id: claims.sid,
    csrf: randomToken(32),
    expires_at: now + CONSOLE_SESSION_SECONDS * 1000,
  };
  await env.KV.put(await kvKey(secret), JSON.stringify(record), { expirationTtl: CONSOLE_SESSION_SECONDS });
  setCookie(c, CONSOLE_COOKIE, secret, {
    prefix: 'host',
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Strict',
    maxAge: CONSOLE_SESSION_SECONDS,
  });
}

/** The session named by the cookie, if it has not run out. */
export async function readConsoleSession(c: Context, now: number): Promise<ConsoleSession | null> {
  const secret = getCookie(c, CONSOLE_COOKIE, 'host');
  if (!secret || secret.length > 128) return null;
  const record = await (c.env as Env).KV.get<ConsoleSession>(await kvKey(secret), 'json');
  return record && record.expires_at > now ? record : null;
}

/** Sign-out: the Durable Object session ends, the lookup and the cookie go. */
export async function closeConsoleSession(c: Context, now: number): Promise<void> {
  const env = c.env as Env;
  const secret = getCookie(c, CONSOLE_COOKIE, 'host');
  if (secret && secret.length <= 128) {
    const key = await kvKey(secret);
    const record = await env.KV.get<ConsoleSession>(key, 'json');
    if (record) {
      await accountState(env, record.user_id).revokeSession(record.session_id, 'logout', now);
    }
    await env.KV.delete(key);
  }
  deleteCookie(c, CONSOLE_COOKIE, { prefix: 'host', path: '/', secure: true, httpOnly: true, sameSite: 'Strict' });
}

/** A sign-in the console refuses after the fact (no longer staff): its fresh session is closed at once. */
export async function discardSignIn(env: Env, tokens: TokenResponse, now: number): Promise<void> {
  const claims = await verifyAccessToken(env, tokens.access, now);
  await accountState(env, claims.sub).revokeSession(claims.sid, 'revoked', now);
}
