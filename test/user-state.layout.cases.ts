import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getConfig } from '../src/config/config';
import { userState } from '../src/accounts/state/client';
import { KEYS, migrate, type LayoutStore } from '../src/accounts/state/storage-layout';

/** A synchronous KV over a Map, as the object's storage looks to a migration step. */
function memoryStore(entries: Record<string, unknown> = {}) {
  const map = new Map<string, unknown>(Object.entries(entries));
  const store = {
    get: (key: string) => map.get(key),
    put: (key: string, value: unknown) => void map.set(key, value),
    delete: (key: string) => map.delete(key),
    list: () => map.entries(),
  } as unknown as LayoutStore;
  return { map, store };
}

describe('the storage layout of the per-user object', () => {
  it('leaves an object of the current layout untouched, and an empty one empty', () => {
    const empty = memoryStore();
    migrate(empty.store);
    expect([...empty.map.keys()]).toEqual([]);
    const current = memoryStore({ lockout: { failures: 1 } });
    migrate(current.store);
    expect([...current.map.entries()]).toEqual([['lockout', { failures: 1 }]]);
  });

  it('runs every step from the stored version to the target, in order, then records the target', () => {
    const { map, store } = memoryStore({ [KEYS.layoutVersion]: 1, lockout: 'v1' });
    const steps = {
      1: (s: LayoutStore) => s.put('lockout', `${s.get('lockout')}>v2`),
      2: (s: LayoutStore) => s.put('lockout', `${s.get('lockout')}>v3`),
    };
    migrate(store, steps, 3);
    expect(map.get('lockout')).toBe('v1>v2>v3');
    expect(map.get(KEYS.layoutVersion)).toBe(3);
  });

  it('refuses to guess when a step is missing', () => {
    const { store } = memoryStore({ [KEYS.layoutVersion]: 1 });
    expect(() => migrate(store, {}, 2)).toThrow(/No migration from storage layout 1/);
  });
});

describe('a sign-in waiting for attempts in flight', () => {
  it('is answered as soon as one of them ends, inside the object', async () => {
    const state = userState(env, crypto.randomUUID());
    const now = Date.now();
    const held = await Promise.all(Array.from({ length: getConfig(env).lockoutThreshold }, () => state.attemptSignIn(now)));
    const ids = held.map((r) => (r.ok ? r.id : 'refused'));
    expect(ids).not.toContain('refused');

    const started = Date.now();
    const waiting = state.attemptSignIn(now);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await state.finishSignIn(ids[0]!, 'passed', now);
    expect(await waiting).toMatchObject({ ok: true });
    // Well before the 10 s deadline: woken by the finish, not by a timeout.
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('is refused once the attempts in flight fail up to the threshold', async () => {
    const state = userState(env, crypto.randomUUID());
    const now = Date.now();
    const held = await Promise.all(Array.from({ length: getConfig(env).lockoutThreshold }, () => state.attemptSignIn(now)));
    const waiting = state.attemptSignIn(now);
    for (const r of held) if (r.ok) await state.finishSignIn(r.id, 'failed', now);
    expect(await waiting).toMatchObject({ ok: false, busy: false });
  });
});
