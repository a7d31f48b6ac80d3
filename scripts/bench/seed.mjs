// Verified accounts to sign in with: registered through the API (so their hashes, rows
// and Durable Objects are the real ones), then marked verified with one D1 statement.
import { request } from 'undici';
import { nextAddress } from './addresses.mjs';

export const BENCH_PASSWORD = 'Velvet-Otter-Garden-92';
const runId = Date.now().toString(36);
let emails = 0;

export const benchEmail = (kind) => `bench.${kind}.${runId}.${++emails}@example.com`;

export async function call(origin, path, { method = 'POST', body, token } = {}) {
  const headers = { 'cf-connecting-ip': nextAddress() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await request(origin + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.body.text();
  const json = text ? JSON.parse(text) : null;
  if (res.statusCode >= 300) throw new Error(`${method} ${path} -> ${res.statusCode} ${text}`);
  return json;
}

/** Accounts as registration leaves them: email not verified yet. */
export async function seedAccounts(origin, count, kind = 'user') {
  const users = [];
  for (let i = 0; i < count; i++) {
    const email = benchEmail(kind);
    const { user } = await call(origin, '/api/v1/auth/register', { body: { email, password: BENCH_PASSWORD, password_confirm: BENCH_PASSWORD } });
    users.push({ id: user.id, email, password: BENCH_PASSWORD });
  }
  return users;
}

export async function seedVerifiedUsers(origin, db, count) {
  const users = await seedAccounts(origin, count);
  await db.batch(users.map((u) => db.prepare('UPDATE users SET email_verified = 1 WHERE id = ?').bind(u.id)));
  return users;
}

/**
 * Back to unverified under a fresh address, so the account's email can be verified again
 * (the verify-email path): the user's object vouches for the address it verified for a
 * moment after D1 has it (src/accounts/state/verified-outbox.ts), and the flag of the last
 * verify may still be on its way; a new address is one neither touches.
 */
export async function markUnverified(db, user) {
  user.email = benchEmail('verify');
  await db.prepare('UPDATE users SET email_verified = 0, email = ? WHERE id = ?').bind(user.email, user.id).run();
}

/** One fresh session (access + refresh) per user. */
export async function signIn(origin, users) {
  const sessions = [];
  for (const u of users) sessions.push(await call(origin, '/api/v1/auth/login', { body: { email: u.email, password: u.password } }));
  return sessions;
}
