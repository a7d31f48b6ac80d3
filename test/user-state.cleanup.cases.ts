import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { sha256Hex } from '../src/crypto/hash';
import { identifierState, userState, type UserState } from '../src/accounts/state/client';
import { api, uniqueEmail } from './helpers/api';
import { createVerifiedUser, login, registerVerifiedUser } from './helpers/users';
import { freezeClock } from './helpers/mfa';

afterEach(() => setClock(null));

const HOUR_MS = 3600_000;
const WRONG = 'Definitely-Wrong-77';

const passwordLogin = (email: string, password = WRONG) => api('/api/v1/auth/login', { body: { email, password } });
const standIn = async (email: string) => identifierState(env, await sha256Hex(`email:${email}`));
const keysOf = (stub: DurableObjectStub<UserState>) => runInDurableObject(stub, (_object, state) => [...state.storage.kv.list()].map(([key]) => key));
const alarmOf = (stub: DurableObjectStub<UserState>) => runInDurableObject(stub, (_object, state) => state.storage.getAlarm());

async function failLogins(email: string, n: number, status: number) {
  for (let i = 0; i < n; i++) expect((await passwordLogin(email)).status, `${email} attempt ${i + 1}`).toBe(status);
}

describe('the stand-in object of a name without an account', () => {
  it('is deleted, alarm and all, a day after its last failed login, and not before', async () => {
    const clock = freezeClock();
    const start = clock.now();
    const email = uniqueEmail('nobody');
    await failLogins(email, 2, 401);
    const stub = await standIn(email);
    expect(await keysOf(stub)).toEqual(['lockout']);
    expect(await alarmOf(stub)).not.toBeNull();

    clock.set(start + 23 * HOUR_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await keysOf(stub)).toEqual(['lockout']);
    expect(await alarmOf(stub)).not.toBeNull();

    clock.set(start + 24 * HOUR_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await keysOf(stub)).toEqual([]);
    expect(await alarmOf(stub)).toBeNull();
  });

  it('lives while it is locked out, and goes when the lock ends', async () => {
    const clock = freezeClock();
    const start = clock.now();
    const email = uniqueEmail('nobody');
    await failLogins(email, 5, 401);
    await failLogins(email, 1, 423);
    const stub = await standIn(email);

    clock.set(start + 4 * 60_000);
    await runDurableObjectAlarm(stub);
    expect(await keysOf(stub)).toEqual(['lockout']);
    clock.set(start + 5 * 60_000);
    await runDurableObjectAlarm(stub);
    expect(await keysOf(stub)).toEqual([]);
    // A fresh run of attempts, as for an account whose lockout ran out.
    await failLogins(email, 1, 401);
  });

  it('keeps wrong emailed codes for the budget window, then is deleted', async () => {
    const clock = freezeClock();
    const start = clock.now();
    const email = uniqueEmail('nobody');
    for (let i = 0; i < 3; i++) expect((await api('/api/v1/auth/otp/verify', { body: { email, code: '123456' } })).status).toBe(400);
    const stub = await standIn(email);
    expect(await keysOf(stub)).toEqual(['code_failures']);

    clock.set(start + 24 * HOUR_MS - 1);
    await runDurableObjectAlarm(stub);
    expect(await keysOf(stub)).toEqual(['code_failures']);
    clock.set(start + 24 * HOUR_MS);
    await runDurableObjectAlarm(stub);
    expect(await keysOf(stub)).toEqual([]);
  });
});

describe("an account's object", () => {
  it('is never deleted: its alarm only drops expired sessions', async () => {
    const clock = freezeClock();
    const start = clock.now();
    // Registered through the API: its verification secret is one of the keys that must stay.
    const user = await registerVerifiedUser();
    await login(user);
    const stub = userState(env, user.id);
    const before = await keysOf(stub);
    expect(before.filter((key) => key.startsWith('session:'))).toHaveLength(1);
    expect(await alarmOf(stub)).not.toBeNull();

    clock.set(start + 7 * 24 * HOUR_MS);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const after = await keysOf(stub);
    expect(after.filter((key) => key.startsWith('session:'))).toEqual([]);
    expect(after).toEqual(before.filter((key) => !key.startsWith('session:')));
    expect(after).toContain('secret:verify_email');
  });
});

describe('failed logins short of a lockout', () => {
  it('are forgotten a day after the last one, for an account and a name without one alike', async () => {
    const clock = freezeClock();
    const start = clock.now();
    const user = await createVerifiedUser();
    const stranger = uniqueEmail('nobody');
    for (const email of [user.email, stranger]) await failLogins(email, 4, 401);
    clock.set(start + 24 * HOUR_MS);
    for (const email of [user.email, stranger]) await failLogins(email, 2, 401);
    expect(await userState(env, user.id).lockoutStatus(clock.now())).toMatchObject({ locked: false, failures: 2 });
    // Within the day they still add up: the fifth in a row locks.
    for (const email of [user.email, stranger]) {
      await failLogins(email, 3, 401);
      await failLogins(email, 1, 423);
    }
  });
});
