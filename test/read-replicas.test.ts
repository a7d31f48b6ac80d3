// D1 read replication (src/db/request-database.ts, src/http/db-session.ts): one D1 session
// per request, reads from the nearest replica where a slightly stale read is harmless, the
// primary where a read decides a write, and the bookmark handed to the client and back.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, registration } from './helpers/api';
import { recorded } from './helpers/recorded';
import { createVerifiedUser, login } from './helpers/users';
import { RequestDatabase } from '../src/db/request-database';
import { BOOKMARK_HEADER } from '../src/http/db-session';

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

/** The real D1 binding, with each withSession argument noted (the queries run for real). */
function noteSessions() {
  const starts: (string | undefined)[] = [];
  const d1 = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'withSession') return (start?: string) => (starts.push(start), target.withSession(start));
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { d1, starts };
}

async function signedIn() {
  const user = await createVerifiedUser();
  return { ...(await login(user)), user };
}

describe('where a request starts its D1 session', () => {
  const presented = '00000000-00000017-00000000-00000000000000000000000000000000';

  it('a replica read starts at the client’s bookmark, or anywhere without one', async () => {
    const { d1, starts } = noteSessions();
    new RequestDatabase(d1, presented, 'replica').db();
    new RequestDatabase(d1, null, 'replica').db();
    expect(starts).toEqual([presented, 'first-unconstrained']);
  });

  it('a read that decides a write starts at the primary, bookmark or not', async () => {
    const { d1, starts } = noteSessions();
    new RequestDatabase(d1, presented, 'primary').db();
    new RequestDatabase(d1, null, 'primary').db();
    expect(starts).toEqual(['first-primary', 'first-primary']);
  });

  it('opens one session per request, on first use, and has no bookmark before a query', async () => {
    const { d1, starts } = noteSessions();
    const database = new RequestDatabase(d1, null, 'replica');
    expect(database.bookmark()).toBeNull();
    expect(starts).toEqual([]);
    const db = database.db();
    expect(database.db()).toBe(db);
    await db.$client.prepare('SELECT 1').first();
    expect(starts).toHaveLength(1);
    expect(database.bookmark()).toMatch(BOOKMARK);
  });
  it('runs relational queries (db.query) through the same session', async () => {
    const { d1 } = noteSessions();
    const database = new RequestDatabase(d1, null, 'replica');
    await database.db().query.users.findFirst();
    expect(database.bookmark()).toMatch(BOOKMARK);
  });
});

describe('the bookmark over HTTP', () => {
  it('a GET answers with its session’s bookmark', async () => {
    const { access } = await signedIn();
    const res = await api('/api/v1/auth/me', { token: access });
    expect(res.status).toBe(200);
    expect(res.headers.get(BOOKMARK_HEADER)).toMatch(BOOKMARK);
  });

  it('a client that sends back the bookmark of its write reads that write', async () => {
    const { access } = await signedIn();
    const write = await api('/api/v1/auth/me', { method: 'PATCH', token: access, body: { first_name: 'Bookmarked' } });
    expect(write.status).toBe(200);
    const bookmark = write.headers.get(BOOKMARK_HEADER)!;
    expect(bookmark).toMatch(BOOKMARK);
    const read = await api('/api/v1/auth/me', { token: access, headers: { [BOOKMARK_HEADER]: bookmark } });
    expect(read.status).toBe(200);
    expect(read.body.first_name).toBe('Bookmarked');
    // The read's session began at the write's bookmark, so it ends there or later.
    expect(read.headers.get(BOOKMARK_HEADER)! >= bookmark).toBe(true);
  });

  it.each([['not a bookmark'], ['0000-zzzz'], ['0'.repeat(4000)], ['00000000-00000017-00000000-0000000000000000000000000000000g']])(
    'ignores a malformed bookmark (%#) instead of failing',
    async (bad) => {
      const { access } = await signedIn();
      const res = await api('/api/v1/auth/me', { token: access, headers: { [BOOKMARK_HEADER]: bad } });
      expect(res.status).toBe(200);
      expect(res.headers.get(BOOKMARK_HEADER)).toMatch(BOOKMARK);
    },
  );

  it.each([
    ['/api/v1/auth/register', () => registration()],
    ['/api/v1/auth/resend-verification', () => ({ email: 'nobody@example.com' })],
    ['/api/v1/auth/password/forgot', () => ({ email: 'nobody@example.com' })],
    ['/api/v1/auth/otp/request', () => ({ email: 'nobody@example.com' })],
  ])('%s answers without one: how far it moved the database could tell an account from none', async (path, body) => {
    const res = await api(path, { body: body() });
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get(BOOKMARK_HEADER)).toBeNull();
  });

  it('a browser may send it and read it (CORS)', async () => {
    const origin = 'http://localhost:3000';
    const preflight = await api('/api/v1/auth/me', {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization, x-gatehouse-bookmark' },
    });
    expect(preflight.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('x-gatehouse-bookmark');
    const { access } = await signedIn();
    const res = await api('/api/v1/auth/me', { token: access, headers: { Origin: origin } });
    expect(res.headers.get('Access-Control-Expose-Headers')?.toLowerCase()).toContain('x-gatehouse-bookmark');
  });
});

describe('which reads may come from a replica (distance model)', () => {
  // Development signs with a key kept in D1, read once per isolate: not part of any path.
  beforeAll(async () => {
    expect((await recorded('/.well-known/jwks.json')).status).toBe(200);
  });
  const d1Kinds = (waves: string[][]) => waves.flat().filter((k) => k.startsWith('d1-'));

  it('GET /auth/me reads a replica, alongside the cached revocation mark', async () => {
    const { access } = await signedIn();
    const { status, hops } = await recorded('/api/v1/auth/me', { token: access });
    expect(status).toBe(200);
    expect(hops.waves, JSON.stringify(hops.waves)).toEqual([expect.arrayContaining(['d1-replica', 'kv-read-cached'])]);
    expect(d1Kinds(hops.waves)).toEqual(['d1-replica']);
  });

  it('a password login reads a replica, then makes one call to the user’s object', async () => {
    const user = await createVerifiedUser();
    const { status, hops } = await recorded('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(status).toBe(200);
    expect(hops.waves).toEqual([expect.arrayContaining(['d1-replica', 'do-limiter']), ['do']]);
  });

  it('with enumeration protection a login reads the primary (a replica’s miss would be asked again, and take longer)', async () => {
    const vars = { ENUMERATION_PROTECTION: 'true' };
    expect((await recorded('/.well-known/jwks.json', { vars })).status).toBe(200);
    const user = await createVerifiedUser();
    const { status, hops } = await recorded('/api/v1/auth/login', { body: { email: user.email, password: user.password }, vars });
    expect(status).toBe(200);
    expect(d1Kinds(hops.waves)[0]).toBe('d1-primary');
    // An unknown address waits for what a known one with a wrong password waits for: no
    // second look at the primary.
    const wrong = await recorded('/api/v1/auth/login', { body: { email: user.email, password: 'Wrong-Horse-Battery-1' }, vars });
    const unknown = await recorded('/api/v1/auth/login', { body: { email: 'nobody.here@example.com', password: user.password }, vars });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(unknown.hops.waves).toEqual(wrong.hops.waves);
  });

  it('without it, an address the replica does not know is asked again at the primary', async () => {
    const user = await createVerifiedUser();
    const { status, hops } = await recorded('/api/v1/auth/login', { body: { email: 'nobody.there@example.com', password: user.password } });
    expect(status).toBe(401);
    expect(d1Kinds(hops.waves).slice(0, 2)).toEqual(['d1-replica', 'd1-primary']);
  });

  it('a follow (its reads decide its write) starts at the primary', async () => {
    const [a, b] = [await signedIn(), await signedIn()];
    const { status, hops } = await recorded('/api/v1/follows', { token: a.access, body: { user_id: b.user.id } });
    expect(status).toBe(201);
    // Later reads of the session may be served by a replica that has caught up with the first.
    expect(d1Kinds(hops.waves)[0]).toBe('d1-primary');
  });
});
