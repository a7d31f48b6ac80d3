import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { createDb, type Db } from '../db/client';
import { presentedBookmark, RequestDatabase, type ReadPolicy } from '../db/request-database';

/**
 * D1 read replication, one session per request (D1's Sessions API). A request's reads may be
 * served by the nearest read replica; its writes go to the primary. The response carries the
 * session's bookmark in this header; a client that sends it back on its next request reads a
 * replica at least as fresh as everything it has seen or written (read-your-writes). Without
 * it a read may lag the primary by a moment (docs/read-replicas.md).
 */
export const BOOKMARK_HEADER = 'X-Gatehouse-Bookmark';

/**
 * Reads go to a replica for GET and HEAD; any other method reads the primary, because its
 * reads decide its writes, unless the route says otherwise (readsFromReplica). The console
 * always reads the primary: a browser cannot return the bookmark after a form's redirect.
 */
function defaultPolicy(method: string, path: string): ReadPolicy {
  if (path === '/admin' || path.startsWith('/admin/')) return 'primary';
  return method === 'GET' || method === 'HEAD' ? 'replica' : 'primary';
}

export const databaseSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('database')) return next();
  const database = new RequestDatabase(c.env.DB, presentedBookmark(c.req.header(BOOKMARK_HEADER)), defaultPolicy(c.req.method, c.req.path));
  c.set('database', database);
  await next();
  const bookmark = database.withheld ? null : database.bookmark();
  if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
};

/**
 * On the routes that answer alike whether an address has an account (register, resend,
 * forgot, code request): a bookmark tells where the database's history stood after the
 * request, and how far a request moved it could tell the two paths apart. Their next step
 * (sign-in, verification) re-reads the primary when a replica does not know the account.
 */
export const withholdsBookmark: MiddlewareHandler<AppEnv> = async (c, next) => {
  const database = c.get('database');
  if (database) database.withheld = true;
  await next();
};

/**
 * For a state-changing route whose reads may come from a replica because what they decide is
 * settled elsewhere: the user's Durable Object (sessions, codes, lockout and the credential
 * fence that refuses a sign-in decided on a stale account row), or a unique key.
 */
export const readsFromReplica: MiddlewareHandler<AppEnv> = async (c, next) => {
  const database = c.get('database');
  if (database) database.policy = 'replica';
  await next();
};

/**
 * readsFromReplica for a route that looks an account up by what the client names (email,
 * username, phone): a replica that does not know the account is asked again at the
 * primary (sign-in/fresh-account.ts). With enumeration protection on, that extra wait would
 * tell an unknown name from a known one, so these routes read the primary instead.
 */
export const lookupReadsFromReplica: MiddlewareHandler<AppEnv> = async (c, next) => {
  const database = c.get('database');
  if (database && !c.get('config').enumerationProtection) database.policy = 'replica';
  await next();
};

/** The request's database handle (its D1 session); the primary's when no session was opened (jobs, tests). */
export function dbOf(c: Context<AppEnv>): Db {
  return c.get('database')?.db() ?? createDb(c.env.DB);
}

/**
 * A handle on the primary alone, for re-reading what a replica may not have yet; the
 * request's own handle when its session starts at the primary (nothing fresher to read, and
 * a second read would only make a miss answer later than a hit).
 */
export function primaryDbOf(c: Context<AppEnv>): Db {
  const database = c.get('database');
  return database && database.policy !== 'replica' ? database.db() : createDb(c.env.DB);
}
