import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { insertBlock, insertFollow, setPrivate, socialUser, sql, type SocialUser } from './helpers/social';
import { visibility, type Owner, type Relation, type Viewer } from '../src/profiles/visibility';

const user: Viewer = { id: 'v', role: 'user' };
const staff: Viewer = { id: 'v', role: 'manager' };
const owner = (o: Partial<Owner> = {}): Owner => ({ id: 'o', deleted: false, active: true, suspended: false, isPrivate: false, ...o });
const rel = (r: Partial<Relation> = {}): Relation => ({ blocked: false, follow: 'none', ...r });

describe('visibility(viewer, owner): the matrix', () => {
  it.each([
    ['self, even private and suspended', { ...user, id: 'o' }, owner({ isPrivate: true, suspended: true }), rel(), 'full'],
    ['staff, even suspended, inactive, deleted or blocked', staff, owner({ suspended: true, active: false, deleted: true, isPrivate: true }), rel({ blocked: true }), 'full'],
    ['stranger, public', user, owner(), rel(), 'full'],
    ['stranger, private', user, owner({ isPrivate: true }), rel(), 'card'],
    ['pending follower, private', user, owner({ isPrivate: true }), rel({ follow: 'pending' }), 'card'],
    ['accepted follower, private', user, owner({ isPrivate: true }), rel({ follow: 'accepted' }), 'full'],
    ['blocked either way, public', user, owner(), rel({ blocked: true }), 'none'],
    ['blocked, accepted follower', user, owner({ isPrivate: true }), rel({ blocked: true, follow: 'accepted' }), 'none'],
    ['owner suspended', user, owner({ suspended: true }), rel({ follow: 'accepted' }), 'none'],
    ['owner inactive', user, owner({ active: false }), rel(), 'none'],
    ['owner deleted', user, owner({ deleted: true }), rel(), 'none'],
  ] as const)('%s', (_name, viewer, o, r, expected) => {
    expect(visibility(viewer, o, r)).toBe(expected);
  });
});

/** Everything in a 404 but what differs per request (request id, date, D1 bookmark): status, body keys, code, message, headers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function notFoundShape(res: { status: number; body: any; headers: Headers }) {
  const headers = [...res.headers.entries()].filter(([k]) => k !== 'x-request-id' && k !== 'date' && k !== 'x-gatehouse-bookmark').sort();
  return { status: res.status, keys: Object.keys(res.body.error).sort(), code: res.body.error.code, message: res.body.error.message, headers };
}

describe('GET /api/v1/profiles/{user_id} through the one visibility function', () => {
  async function pair(): Promise<[SocialUser, SocialUser]> {
    return [await socialUser(), await socialUser({ first_name: 'Owner' })];
  }
  const view = (viewer: SocialUser, ownerId: string) => api(`/api/v1/profiles/${ownerId}`, { token: viewer.access });

  it('hidden owners answer exactly as a user that never existed (blocked either way, suspended, inactive, deleted, malformed id)', async () => {
    const [viewer] = await pair();
    const never = notFoundShape(await view(viewer, crypto.randomUUID()));
    expect(never.status).toBe(404);
    expect(never.code).toBe('not_found');
    expect(notFoundShape(await view(viewer, 'not-a-uuid'))).toEqual(never);
    expect(notFoundShape(await view(viewer, "1' or 1=1 --"))).toEqual(never);

    const hide: [string, (viewer: SocialUser, target: SocialUser) => Promise<unknown>][] = [
      ['owner blocked the viewer', (v, t) => insertBlock(t.id, v.id)],
      ['viewer blocked the owner', (v, t) => insertBlock(v.id, t.id)],
      ['owner suspended', (_v, t) => sql('UPDATE profiles SET is_suspended = 1 WHERE user_id = ?', t.id)],
      ['owner inactive', (_v, t) => sql('UPDATE users SET is_active = 0 WHERE id = ?', t.id)],
      ['owner deleted', (_v, t) => sql('UPDATE users SET deleted_at = 1 WHERE id = ?', t.id)],
    ];
    for (const [name, apply] of hide) {
      const [v, target] = await pair();
      expect((await view(v, target.id)).status, name).toBe(200);
      await apply(v, target);
      expect(notFoundShape(await view(v, target.id)), name).toEqual(never);
      const byName = await api(`/api/v1/profiles/by-username/${target.username}`, { token: v.access });
      expect(notFoundShape(byName), name).toEqual(never);
      const listed = await api(`/api/v1/profiles?search=${target.username}`, { token: v.access });
      expect(listed.body.count, name).toBe(0);
    }
  });

  it('a private profile is a card to strangers and pending followers, full to accepted followers, self and staff', async () => {
    const [stranger, o] = await pair();
    await sql("UPDATE profiles SET website = 'https://o.example', city = 'Oslo', country = 'NO', show_location = 1, date_of_birth = '1990-01-02' WHERE user_id = ?", o.id);
    await setPrivate(o.id);
    const pending = await socialUser();
    const follower = await socialUser();
    const admin = await socialUser();
    await insertFollow(pending.id, o.id, 'pending');
    await insertFollow(follower.id, o.id, 'accepted');
    await sql("UPDATE users SET role = 'admin' WHERE id = ?", admin.id);

    const card = (await view(stranger, o.id)).body;
    expect(card).toMatchObject({ user_id: o.id, is_private: true, follow_status: 'none' });
    expect(card).not.toHaveProperty('website');
    expect(card).not.toHaveProperty('city');
    expect((await view(pending, o.id)).body).toMatchObject({ follow_status: 'pending' });
    expect((await view(pending, o.id)).body).not.toHaveProperty('website');

    const full = (await view(follower, o.id)).body;
    expect(full).toMatchObject({ follow_status: 'following', website: 'https://o.example', city: 'Oslo', country: 'NO' });
    expect(full).not.toHaveProperty('date_of_birth');
    expect(full).not.toHaveProperty('email');
    expect(full).not.toHaveProperty('engagement_score');

    const self = (await view(o, o.id)).body;
    expect(self).toMatchObject({ follow_status: 'self', date_of_birth: '1990-01-02', email: o.email, show_location: true });
    expect(self).not.toHaveProperty('engagement_score');
    expect((await view(admin, o.id)).body).toMatchObject({ engagement_score: 0, date_of_birth: '1990-01-02' });
  });

  it('show_email / show_phone / show_location gate those fields for others', async () => {
    const [viewer, o] = await pair();
    const hidden = (await view(viewer, o.id)).body;
    for (const key of ['email', 'phone_number', 'city', 'country']) expect(hidden).not.toHaveProperty(key);
    await sql('UPDATE profiles SET show_email = 1 WHERE user_id = ?', o.id);
    const shown = (await view(viewer, o.id)).body;
    expect(shown.email, JSON.stringify(shown)).toBe(o.email);
    expect(shown).not.toHaveProperty('city');
  });

  it('by-username is case-insensitive; anonymous readers get 401', async () => {
    const [viewer, o] = await pair();
    const res = await api(`/api/v1/profiles/by-username/${o.username.toUpperCase()}`, { token: viewer.access });
    expect([res.status, res.body.user_id]).toEqual([200, o.id]);
    expect((await api(`/api/v1/profiles/${o.id}`)).status).toBe(401);
  });
});
