import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { userState } from '../src/accounts/state/client';
import { api } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { waitForMail } from './helpers/mail';

afterEach(() => setClock(null));

const attempt = (body: Record<string, unknown>) => api('/api/v1/auth/login', { body });
const WRONG = 'Definitely-Wrong-77';

describe('login lockout', () => {
  it('answers 401 five times, then 423 with Retry-After even for the right password, for 5 minutes', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt({ email: user.email, password: WRONG })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const locked = await attempt({ email: user.email, password: user.password });
    expect([locked.status, locked.body.error.code]).toEqual([423, 'account_locked']);
    expect(Number(locked.headers.get('Retry-After'))).toBe(300);
    now += 299_000;
    expect((await attempt({ email: user.email, password: user.password })).status).toBe(423);
    now += 2_000;
    expect((await attempt({ email: user.email, password: user.password })).status).toBe(200);
  });

  it('counts failures per account across email, username and phone', async () => {
    const user = await createVerifiedUser({ username: 'lock_me', phone_number: '+14155550188' });
    await attempt({ email: user.email, password: WRONG });
    await attempt({ username: 'LOCK_ME', password: WRONG });
    await attempt({ phone_number: '+14155550188', password: WRONG });
    await attempt({ identifier: 'lock_me', password: WRONG });
    await attempt({ identifier: user.email, password: WRONG });
    expect((await attempt({ email: user.email, password: user.password })).status).toBe(423);
  });

  it('a success resets the count', async () => {
    const user = await createVerifiedUser();
    for (let i = 0; i < 4; i++) await attempt({ email: user.email, password: WRONG });
    expect((await attempt({ email: user.email, password: user.password })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt({ email: user.email, password: WRONG })).status).toBe(401);
    expect((await attempt({ email: user.email, password: user.password })).status).toBe(200);
  });

  it('is exact under 20 parallel wrong attempts: 5 × 401, 15 × 423', async () => {
    const user = await createVerifiedUser();
    const results = await Promise.all(Array.from({ length: 20 }, () => attempt({ email: user.email, password: WRONG })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 423)).toHaveLength(15);
    expect((await attempt({ email: user.email, password: user.password })).status).toBe(423);
  });

  it('behaves identically for an identifier with no account', async () => {
    const ghost = `ghost.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const user = await createVerifiedUser();
    const run = async (email: string) => {
      const out: Array<[number, string, string | null]> = [];
      for (let i = 0; i < 7; i++) {
        const r = await attempt({ email, password: WRONG });
        out.push([r.status, r.body.error.code, r.headers.get('Retry-After')]);
      }
      return out;
    };
    expect(await run(ghost)).toEqual(await run(user.email));
    const parallel = await Promise.all(Array.from({ length: 20 }, () => attempt({ username: `nobody_${crypto.randomUUID().slice(0, 4)}x`, password: WRONG })));
    expect(parallel.every((r) => r.status === 401)).toBe(true); // different identifiers: no shared lock
  });

  it('mails the owner a lockout notice and records the lock', async () => {
    const user = await createVerifiedUser();
    for (let i = 0; i < 5; i++) await attempt({ email: user.email, password: WRONG });
    const mail = await waitForMail(user.email, { subject: /lock/i });
    expect(mail.text).toMatch(/5 minutes|locked/i);
    const row = await env.DB.prepare("SELECT severity FROM audit_events WHERE user_id = ? AND type = 'account_locked'").bind(user.id).first();
    expect(row).toEqual({ severity: 'high' });
  });

  it('an admin unlock on the object clears the lock', async () => {
    const user = await createVerifiedUser();
    for (let i = 0; i < 5; i++) await attempt({ email: user.email, password: WRONG });
    expect((await attempt({ email: user.email, password: user.password })).status).toBe(423);
    await userState(env, user.id).unlock();
    expect((await attempt({ email: user.email, password: user.password })).status).toBe(200);
  });
});

describe('parallel logins with the right password', () => {
  it('all succeed: slots held by attempts in flight are waited for, not refused', async () => {
    const user = await createVerifiedUser();
    const results = await Promise.all(Array.from({ length: 10 }, () => attempt({ email: user.email, password: user.password })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
  });
});
