// The verified flag leaves the answer's path (issue 18): the user's object records the
// verification in the step that spends the code or link, the Worker writes D1 after the
// answer, and the object's alarm writes it when that failed (accounts/state/verified-outbox.ts).
import { env } from 'cloudflare:workers';
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, registration, STRONG_PASSWORD } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { accountState, userState } from '../src/accounts/state/client';
import { KEYS } from '../src/accounts/state/storage-layout';
import type { VerifiedEntry } from '../src/accounts/state/verified-outbox';
import { createDb } from '../src/db/client';
import { setClock } from '../src/clock';

async function registered() {
  const body = registration();
  const res = await api('/api/v1/auth/register', { body });
  expect(res.status).toBe(201);
  const mail = await waitForMail(body.email, { subject: /verify/i });
  const token = new URL(/https?:\/\/\S+verify-email\?token=[\w%-]+/.exec(mail.text)![0]).searchParams.get('token')!;
  return { email: body.email as string, id: res.body.user.id as string, code: extractCode(mail.text), token };
}

const outboxEntry = (id: string) => runInDurableObject(userState(env, id), (_instance, state) => state.storage.kv.get<VerifiedEntry>(KEYS.verifiedOutbox));

async function flagInD1(id: string) {
  const row = await env.DB.prepare('SELECT email_verified, updated_at FROM users WHERE id = ?').bind(id).first<{ email_verified: number; updated_at: number }>();
  return { verified: row!.email_verified === 1, updatedAt: row!.updated_at };
}

async function auditRows(id: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'email_verified'").bind(id).first<{ n: number }>();
  return row!.n;
}

/** A real D1 failure for one account: every write of its email_verified aborts (dropped by the returned function). */
async function failD1FlagWrites(id: string): Promise<() => Promise<void>> {
  const name = `fail_verified_${id.replaceAll('-', '_')}`;
  await env.DB.prepare(`CREATE TRIGGER ${name} BEFORE UPDATE OF email_verified ON users WHEN NEW.id = '${id}' BEGIN SELECT RAISE(ABORT, 'test: D1 refuses the write'); END`).run();
  return async () => void (await env.DB.prepare(`DROP TRIGGER ${name}`).run());
}

const claims = (jwt: string) => JSON.parse(atob(jwt.split('.')[1]!.replaceAll('-', '+').replaceAll('_', '/')));

describe('the verified flag after the answer', () => {
  it('reaches D1 after the answer, with exactly one audit row, and the object marks the entry flushed', async () => {
    const { email, code, id } = await registered();
    const res = await api('/api/v1/auth/verify-email', { body: { email, code }, settle: true });
    expect([res.status, res.body.user.email_verified]).toEqual([200, true]);
    const entry = await outboxEntry(id);
    expect(entry).toMatchObject({ email, method: 'code' });
    expect(entry!.flushedAt).toBeTypeOf('number');
    expect(await flagInD1(id)).toEqual({ verified: true, updatedAt: entry!.at });
    expect(await auditRows(id)).toBe(1);
  });

  it('keeps the entry when the flush fails; login is not refused meanwhile; the alarm writes it, once', async () => {
    const { email, code, id } = await registered();
    const restore = await failD1FlagWrites(id);
    try {
      const res = await api('/api/v1/auth/verify-email', { body: { email, code }, settle: true });
      expect([res.status, res.body.message]).toEqual([200, 'Email verified.']);
      // The deferred flush failed: D1 has nothing, the object keeps the entry, pending.
      expect(await flagInD1(id)).toMatchObject({ verified: false });
      expect(await auditRows(id)).toBe(0);
      const pending = await outboxEntry(id);
      expect(pending).toMatchObject({ email, method: 'code' });
      expect(pending!.flushedAt).toBeUndefined();

      // The object answers for the flag: the same code is "already verified", login is not refused.
      const again = await api('/api/v1/auth/verify-email', { body: { email, code } });
      expect([again.status, again.body.message]).toEqual([200, 'Email already verified.']);
      const login = await api('/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD }, settle: true });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      expect(claims(login.body.access).email_verified).toBe(true);

      // D1 still refuses: the alarm keeps the entry and tries again later.
      expect(await runDurableObjectAlarm(userState(env, id))).toBe(true);
      expect(await outboxEntry(id)).toMatchObject({ tries: 1, flushedAt: undefined });
      expect(await runInDurableObject(userState(env, id), (_i, state) => state.storage.getAlarm())).not.toBeNull();
    } finally {
      await restore();
    }
    expect(await runDurableObjectAlarm(userState(env, id))).toBe(true);
    const flushed = await outboxEntry(id);
    expect(flushed!.flushedAt).toBeTypeOf('number');
    expect(await flagInD1(id)).toEqual({ verified: true, updatedAt: flushed!.at });
    expect(await auditRows(id)).toBe(1);

    // A second flush of the same entry (a Worker that was only slow) writes nothing twice.
    await accountState(env, id).flushVerified(createDb(env.DB), flushed!, Date.now());
    expect(await auditRows(id)).toBe(1);
  });

  it('refuses login while nothing vouches for the address: the flag is not guessed', async () => {
    const { email, id } = await registered();
    const login = await api('/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } });
    expect([login.status, login.body.error.code]).toEqual([403, 'email_not_verified']);
    expect(await outboxEntry(id)).toBeUndefined();
  });

  it('verifies a link the same way: answered before D1 has it, the alarm writes it', async () => {
    const { token, id, email } = await registered();
    const restore = await failD1FlagWrites(id);
    try {
      const res = await api('/api/v1/auth/verify-email', { body: { token }, settle: true });
      expect([res.status, res.body.message, res.body.user.email_verified]).toEqual([200, 'Email verified.', true]);
      expect(await outboxEntry(id)).toMatchObject({ email, method: 'link', flushedAt: undefined });
      expect(await flagInD1(id)).toMatchObject({ verified: false });
      const again = await api(`/api/v1/auth/verify-email?token=${encodeURIComponent(token)}`);
      expect([again.status, again.body]).toEqual([200, { message: 'Email already verified.' }]);
    } finally {
      await restore();
    }
    await runDurableObjectAlarm(userState(env, id));
    expect(await flagInD1(id)).toMatchObject({ verified: true });
    expect(await auditRows(id)).toBe(1);
  });

  it('writes no flag for an address the row no longer has', async () => {
    const { email, code, id } = await registered();
    const restore = await failD1FlagWrites(id);
    try {
      expect((await api('/api/v1/auth/verify-email', { body: { email, code }, settle: true })).status).toBe(200);
    } finally {
      await restore();
    }
    // The address changed before D1 was told: the verification was of the old one.
    await env.DB.prepare('UPDATE users SET email = ? WHERE id = ?').bind(`changed-${email}`, id).run();
    await runDurableObjectAlarm(userState(env, id));
    expect(await flagInD1(id)).toMatchObject({ verified: false });
    expect(await auditRows(id)).toBe(0);
  });

  it('brings a far alarm forward for a pending entry, and after the grace goes back to the sessions', async () => {
    const { email, code, id } = await registered();
    const state = accountState(env, id);
    const session = await state.openSession({ ip: '203.0.113.9', userAgent: null, device: null }, Date.now());
    if ('locked' in session) throw new Error('unexpected lock');
    const alarm = () => runInDurableObject(userState(env, id), (_i, s) => s.storage.getAlarm());
    expect(await alarm()).toBeGreaterThan(Date.now() + 3600_000);
    const restore = await failD1FlagWrites(id);
    try {
      expect((await api('/api/v1/auth/verify-email', { body: { email, code }, settle: true })).status).toBe(200);
      expect(await alarm()).toBeLessThan(Date.now() + 60_000);
    } finally {
      await restore();
    }
    await runDurableObjectAlarm(userState(env, id));
    expect((await outboxEntry(id))!.flushedAt).toBeTypeOf('number');
    expect(await flagInD1(id)).toMatchObject({ verified: true });
    // Past the grace the entry goes; the session lives on, and so does its alarm.
    const later = Date.now() + 5 * 60_000;
    setClock({ now: () => later });
    try {
      await runDurableObjectAlarm(userState(env, id));
    } finally {
      setClock(null);
    }
    expect(await outboxEntry(id)).toBeUndefined();
    expect(await state.session(session.id, Date.now())).not.toBeNull();
    expect(await alarm()).toBeGreaterThan(Date.now() + 3600_000);
  });
});
