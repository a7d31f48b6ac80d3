import { exports } from 'cloudflare:workers';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { BOOKMARK_HEADER as CLIENT_BOOKMARK_HEADER, createClient } from '../src/client';
import { BOOKMARK_HEADER } from '../src/http/db-session';
import { randomIp, registration, STRONG_PASSWORD } from './helpers/api';
import { createVerifiedUser } from './helpers/users';

/** The client over the Worker's own fetch handler, as a browser or service would call it. */
function client(token?: string) {
  return createClient('https://gatehouse.test', {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
    headers: { 'CF-Connecting-IP': randomIp(), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
}

describe('typed client (src/client.ts, hono/client)', () => {
  it('registers, signs in and reads /me with typed bodies', async () => {
    const body = registration();
    const registered = await client().api.v1.auth.register.$post({ json: body });
    expect(registered.status).toBe(201);
    const { user } = await registered.json();
    expectTypeOf(user.email).toEqualTypeOf<string | null>();
    expect(user.email).toBe(body.email);

    const verified = await createVerifiedUser();
    const login = await client().api.v1.auth.login.$post({ json: { email: verified.email, password: STRONG_PASSWORD } });
    expect(login.status).toBe(200);
    const signedIn = await login.json();
    if ('mfa_required' in signedIn) throw new Error('this account has no second factor');
    expectTypeOf(signedIn.access).toEqualTypeOf<string>();

    const me = await client(signedIn.access).api.v1.auth.me.$get();
    expect(me.status).toBe(200);
    const account = await me.json();
    expectTypeOf(account.mfa_enabled).toEqualTypeOf<boolean>();
    expect([account.id, account.email_verified]).toEqual([verified.id, true]);

    const patched = await client(signedIn.access).api.v1.auth.me.$patch({ json: { first_name: 'Typed' } });
    expect((await patched.json()).first_name).toBe('Typed');

    const refreshed = await client().api.v1.auth.refresh.$post({ json: { refresh: signedIn.refresh } });
    expect(refreshed.status).toBe(200);
    expect((await refreshed.json()).user.id).toBe(verified.id);
  });

  it('path parameters and query strings are typed too', async () => {
    const [alice, bob] = [await createVerifiedUser(), await createVerifiedUser()];
    const tokens = await (await client().api.v1.auth.login.$post({ json: { email: alice.email, password: STRONG_PASSWORD } })).json();
    if ('mfa_required' in tokens) throw new Error('no second factor expected');
    const profile = await client(tokens.access).api.v1.profiles[':user_id'].$get({ param: { user_id: bob.id } });
    expect(profile.status).toBe(200);
    expect((await profile.json()).user_id).toBe(bob.id);
    const page = await client(tokens.access).api.v1.follows.$get({ query: { page: '1' } });
    expect((await page.json()).count).toBe(0);
  });

  it('an error arrives as a Response with the one error shape', async () => {
    const res = await client().api.v1.auth.me.$get();
    expect(res.status).toBe(401);
    expect(((await res.json()) as unknown as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('carries the newest bookmark to the next request (read-your-writes on replicas)', async () => {
    expect(CLIENT_BOOKMARK_HEADER).toBe(BOOKMARK_HEADER);
    const verified = await createVerifiedUser();
    const sent: (string | null)[] = [];
    const answered: (string | null)[] = [];
    const api = createClient('https://gatehouse.test', {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        sent.push(request.headers.get(BOOKMARK_HEADER));
        const res = await exports.default.fetch(request);
        answered.push(res.headers.get(BOOKMARK_HEADER));
        return res;
      },
      headers: { 'CF-Connecting-IP': randomIp() },
    });
    const tokens = await (await api.api.v1.auth.login.$post({ json: { email: verified.email, password: STRONG_PASSWORD } })).json();
    if ('mfa_required' in tokens) throw new Error('no second factor expected');
    await api.api.v1.auth.me.$patch({ json: { first_name: 'Carried' } }, { headers: { Authorization: `Bearer ${tokens.access}` } });
    const me = await api.api.v1.auth.me.$get(undefined, { headers: { Authorization: `Bearer ${tokens.access}` } });
    expect((await me.json()).first_name).toBe('Carried');
    expect(sent[0]).toBeNull();
    expect(answered[0]).toMatch(/^[0-9a-f-]+$/);
    // Each request returns what the one before it answered (a newer one replaces an older).
    expect(sent[1]).toBe(answered[0]);
    expect(sent[2]).toBe(answered[1]);
  });
});
