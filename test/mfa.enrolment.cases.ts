import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { createDb } from '../src/db/client';
import { users } from '../src/db/schema';
import { eq } from 'drizzle-orm';
import { isTotpStateMismatch, pendingSecret, requireTotpState } from '../src/mfa/store';
import { api, STRONG_PASSWORD } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { waitForMail } from './helpers/mail';
import { createEnrolledUser, freezeClock, oathtool, passwordStep, verifyMfa } from './helpers/mfa';

afterEach(() => setClock(null));

const setup = (token: string, password: string = STRONG_PASSWORD) => api('/api/v1/auth/mfa/totp/setup', { token, body: { password } });
const confirm = (token: string, code: string) => api('/api/v1/auth/mfa/totp/confirm', { token, body: { code } });
const disable = (token: string, body: Record<string, unknown>) => api('/api/v1/auth/mfa/totp/disable', { token, body });
const regenerate = (token: string, body: Record<string, unknown>) => api('/api/v1/auth/mfa/recovery-codes', { token, body });
const me = async (token: string) => (await api('/api/v1/auth/me', { token })).body;

async function auditTypes(userId: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT type FROM audit_events WHERE user_id = ? ORDER BY created_at').bind(userId).all<{ type: string }>();
  return results.map((r) => r.type);
}

describe('setup', () => {
  it('needs a bearer token', async () => {
    expect((await api('/api/v1/auth/mfa/totp/setup', { body: { password: STRONG_PASSWORD } })).status).toBe(401);
  });

  it('returns a 160-bit base32 secret and an otpauth URI with the app as issuer and the email as account; MFA stays off', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const res = await setup(access);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['otpauth_uri', 'secret']);
    expect(res.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(res.body.otpauth_uri);
    expect(uri.protocol).toBe('otpauth:');
    expect(res.body.otpauth_uri).toContain(`totp/Gatehouse:${encodeURIComponent(user.email)}?`);
    expect(Object.fromEntries(uri.searchParams)).toEqual({ secret: res.body.secret, issuer: 'Gatehouse', algorithm: 'SHA1', digits: '6', period: '30' });
    expect((await me(access)).mfa_enabled).toBe(false);
  });

  it('keeps the secret encrypted: the row holds neither the base32 nor the raw secret', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const { secret } = (await setup(access)).body;
    const row = await env.DB.prepare('SELECT secret_ciphertext, confirmed_at FROM mfa_totp WHERE user_id = ?').bind(user.id).first<{ secret_ciphertext: string; confirmed_at: number | null }>();
    expect(row?.confirmed_at).toBeNull();
    expect(row?.secret_ciphertext).toMatch(/^v1\./);
    expect(row?.secret_ciphertext.toUpperCase()).not.toContain(secret.slice(0, 10));
  });

  it('a second setup before confirm answers with the same secret, which confirms (idempotent)', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const first = await setup(access);
    const second = await setup(access);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect((await confirm(access, await oathtool(first.body.secret, clock.now()))).status).toBe(200);
  });

  it('is refused while MFA is on, and the enrolled secret keeps working', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const res = await setup(user.access);
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    expect(res.body.error.message).toMatch(/already on/);
    const token = await passwordStep(user);
    expect((await verifyMfa(token, await oathtool(user.secret, clock.now()))).status).toBe(200);
  });
});

describe('confirm', () => {
  it('refuses a wrong code, a code two steps old and a recovery-shaped code; MFA stays off', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const { secret } = (await setup(access)).body;
    const right = await oathtool(secret, clock.now());
    const wrong = right === '000000' ? '000001' : '000000';
    for (const code of [wrong, await oathtool(secret, clock.now() - 60_000), 'abcd-efgh-ijkl-mnop']) {
      const res = await confirm(access, code);
      expect([res.status, res.body.error.code], code).toEqual([400, 'otp_invalid']);
    }
    expect((await confirm(access, '')).body.error.code).toBe('validation_failed');
    expect((await me(access)).mfa_enabled).toBe(false);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).body.access).toBeTypeOf('string');
  });

  it('without a setup first is a 400', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const res = await confirm(access, '123456');
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    expect(res.body.error.message).toMatch(/setup/);
  });

  it('with oathtool’s code turns MFA on, returns 10 distinct recovery codes stored only as hashes, audits and mails', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const { secret } = (await setup(access)).body;
    const res = await confirm(access, await oathtool(secret, clock.now()));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['recovery_codes']);
    const codes: string[] = res.body.recovery_codes;
    expect(new Set(codes).size).toBe(10);
    expect((await me(access)).mfa_enabled).toBe(true);
    const { results } = await env.DB.prepare('SELECT code_hash, used_at FROM mfa_recovery_codes WHERE user_id = ?').bind(user.id).all<{ code_hash: string; used_at: number | null }>();
    expect(results).toHaveLength(10);
    const stored = JSON.stringify(results);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace(/-/g, ''));
    }
    expect(await auditTypes(user.id)).toContain('mfa_enabled');
    const mail = await waitForMail(user.email, { subject: /Two-factor authentication changed/ });
    expect(mail.text).toContain('two-factor authentication was turned on');
  });

  it('a second confirm (or the same code twice at once) does not issue a second set of codes', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const { secret } = (await setup(access)).body;
    const code = await oathtool(secret, clock.now());
    const results = await Promise.all([confirm(access, code), confirm(access, code), confirm(access, code)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    clock.nextStep();
    const again = await confirm(access, await oathtool(secret, clock.now()));
    expect([again.status, again.body.error.message]).toEqual([400, expect.stringMatching(/already on/)]);
    const winner = results.find((r) => r.status === 200)!.body.recovery_codes as string[];
    const token = await passwordStep(user);
    expect((await verifyMfa(token, winner[0]!)).status).toBe(200);
  });

  it('the batch is conditional: a confirm cannot land on a secret a parallel setup replaced', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    await setup(access);
    const db = createDb(env.DB);
    // As confirm would run it, but for a secret that is no longer the pending one.
    const batch = db.batch([
      requireTotpState(db, user.id, pendingSecret('v1.some.other-ciphertext')),
      db.update(users).set({ mfaEnabled: true }).where(eq(users.id, user.id)),
    ]);
    const error = await batch.then(() => null, (err: unknown) => err);
    expect(isTotpStateMismatch(error)).toBe(true);
    // Rolled back: the statement after the guard did not stay.
    expect((await me(access)).mfa_enabled).toBe(false);
    const row = await env.DB.prepare('SELECT secret_ciphertext FROM mfa_totp WHERE user_id = ?').bind(user.id).first<{ secret_ciphertext: string }>();
    expect(row?.secret_ciphertext).toMatch(/^v1\./);
    // And with the real pending secret, the same guard lets the batch through.
    await db.batch([requireTotpState(db, user.id, pendingSecret(row!.secret_ciphertext)), db.update(users).set({ mfaEnabled: true }).where(eq(users.id, user.id))]);
    expect((await me(access)).mfa_enabled).toBe(true);
  });
});

describe('disable', () => {
  it('needs the password and a current code: each wrong alone is a 400, missing fields a validation error', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const code = await oathtool(user.secret, clock.now());
    const wrongPassword = await disable(user.access, { password: 'Not-The-Password-1', code });
    expect([wrongPassword.status, wrongPassword.body.error.code]).toEqual([400, 'validation_failed']);
    expect(wrongPassword.body.error.fields.password).toBeDefined();
    const wrongCode = await disable(user.access, { password: user.password, code: code === '999999' ? '999998' : '999999' });
    expect([wrongCode.status, wrongCode.body.error.code]).toEqual([400, 'otp_invalid']);
    const missing = await disable(user.access, { password: user.password });
    expect(missing.body.error.fields.code).toBeDefined();
    expect((await disable(user.access, { code })).body.error.fields.password).toBeDefined();
    expect((await api('/api/v1/auth/mfa/totp/disable', { body: { password: user.password, code } })).status).toBe(401);
    expect((await me(user.access)).mfa_enabled).toBe(true);
  });

  it('with both turns MFA off: rows gone, password login gives tokens again, audited and mailed', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const res = await disable(user.access, { password: user.password, code: await oathtool(user.secret, clock.now()) });
    expect(res.status).toBe(200);
    expect((await me(user.access)).mfa_enabled).toBe(false);
    const rows = await env.DB.batch([
      env.DB.prepare('SELECT count(*) AS n FROM mfa_totp WHERE user_id = ?').bind(user.id),
      env.DB.prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ?').bind(user.id),
    ]);
    expect(rows.map((r) => (r.results[0] as { n: number }).n)).toEqual([0, 0]);
    const tokens = await login(user);
    expect(tokens.access).toBeTypeOf('string');
    expect(await auditTypes(user.id)).toContain('mfa_disabled');
    const mail = await waitForMail(user.email, { predicate: (m) => m.text.includes('turned off') });
    expect(mail.subject).toMatch(/Two-factor authentication changed/);
  });

  it('works with a recovery code instead of the app (a lost phone), and can then be set up afresh', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    expect((await disable(user.access, { password: user.password, code: user.recoveryCodes[3] })).status).toBe(200);
    const again = await setup(user.access);
    expect(again.status).toBe(200);
    expect((await confirm(user.access, await oathtool(again.body.secret, clock.now()))).status).toBe(200);
  });

  it('when MFA is off is a 400', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const res = await disable(access, { password: user.password, code: '123456' });
    expect([res.status, res.body.error.message]).toEqual([400, expect.stringMatching(/not on/)]);
  });

  it('wrong codes count toward the lockout, and a right password in between does not wipe them', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const right = await oathtool(user.secret, clock.now());
    const wrong = right === '111111' ? '111112' : '111111';
    for (let i = 0; i < 3; i++) expect((await disable(user.access, { password: user.password, code: wrong })).status).toBe(400);
    // A first factor alone must not reset the count of second-factor failures.
    await passwordStep(user);
    for (let i = 0; i < 2; i++) expect((await disable(user.access, { password: user.password, code: wrong })).status).toBe(400);
    const locked = await disable(user.access, { password: user.password, code: right });
    expect([locked.status, locked.body.error.code]).toEqual([423, 'account_locked']);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(423);
    expect((await me(user.access)).mfa_enabled).toBe(true);
  });
});

describe('recovery codes regeneration', () => {
  it('needs password and code; gives ten new codes; the old ones die; audited and mailed', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    expect((await regenerate(user.access, { password: 'Wrong-Password-42', code: user.recoveryCodes[0] })).status).toBe(400);
    expect((await regenerate(user.access, { password: user.password })).status).toBe(400);
    const res = await regenerate(user.access, { password: user.password, code: await oathtool(user.secret, clock.now()) });
    expect(res.status).toBe(200);
    const fresh: string[] = res.body.recovery_codes;
    expect(fresh).toHaveLength(10);
    expect(fresh.some((c) => user.recoveryCodes.includes(c))).toBe(false);

    const old = await verifyMfa(await passwordStep(user), user.recoveryCodes[1]!);
    expect([old.status, old.body.error.code]).toEqual([400, 'otp_invalid']);
    expect((await verifyMfa(await passwordStep(user), fresh[1]!)).status).toBe(200);
    expect(await auditTypes(user.id)).toContain('mfa_recovery_regenerated');
    const mail = await waitForMail(user.email, { predicate: (m) => m.text.includes('new recovery codes were generated') });
    expect(mail.subject).toMatch(/Two-factor authentication changed/);
  });

  it('when MFA is off is a 400', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    expect((await regenerate(access, { password: user.password, code: '123456' })).status).toBe(400);
  });
});

describe('setup needs the password and a live session; confirm needs the session that started it', () => {
  const totpRows = async (userId: string) =>
    (await env.DB.prepare('SELECT count(*) AS n FROM mfa_totp WHERE user_id = ?').bind(userId).first<{ n: number }>())?.n;

  it('without a password, or with a wrong one, is a 400 on `password` and keeps nothing', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const missing = await api('/api/v1/auth/mfa/totp/setup', { method: 'POST', token: access });
    expect([missing.status, missing.body.error.code]).toEqual([400, 'validation_failed']);
    expect(missing.body.error.fields.password).toBeDefined();
    const wrong = await setup(access, 'Not-The-Password-1');
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'validation_failed']);
    expect(wrong.body.error.fields.password).toBeDefined();
    expect(wrong.body.secret).toBeUndefined();
    expect(await totpRows(user.id)).toBe(0);
    const { results } = await env.DB.prepare("SELECT metadata FROM audit_events WHERE user_id = ? AND type = 'login_failed'").bind(user.id).all<{ metadata: string }>();
    expect(results.map((r) => JSON.parse(r.metadata))).toEqual([expect.objectContaining({ reason: 'bad_password', during: 'mfa_setup' })]);
  });

  it('wrong passwords count toward the account lockout like wrong logins (423 after five)', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    for (let i = 0; i < 5; i++) expect((await setup(access, `Wrong-Password-${i}x`)).status).toBe(400);
    const locked = await setup(access);
    expect([locked.status, locked.body.error.code]).toEqual([423, 'account_locked']);
    expect(locked.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(423);
    expect(await totpRows(user.id)).toBe(0);
  });

  it("a logged-out session's access token gets 401, even with the right password", async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    expect((await api('/api/v1/auth/logout', { body: { refresh: tokens.refresh } })).status).toBe(204);
    const res = await setup(tokens.access);
    expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized']);
    expect(await totpRows(user.id)).toBe(0);
  });

  it('two parallel setups, from one session or from two, get the same secret', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const [a, b] = await Promise.all([setup(access), setup(access)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body.secret).toBe(a.body.secret);
    expect((await confirm(access, await oathtool(a.body.secret, clock.now()))).status).toBe(200);

    const other = await createVerifiedUser();
    const [one, two] = await Promise.all([login(other), login(other)]);
    const answers = await Promise.all([setup(one.access), setup(two.access), setup(one.access), setup(two.access)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((r) => r.body.secret)).size).toBe(1);
    expect(await totpRows(other.id)).toBe(1);
  });

  it("another session's token cannot confirm the setup (400), and the session that started it still can", async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const starter = await login(user);
    const other = await login(user);
    const { secret } = (await setup(starter.access)).body;
    // The other session is shown the same secret (setup does not replace it), but cannot confirm it.
    expect((await setup(other.access)).body.secret).toBe(secret);
    const refused = await confirm(other.access, await oathtool(secret, clock.now()));
    expect([refused.status, refused.body.error.code]).toEqual([400, 'validation_failed']);
    expect(refused.body.error.message).toMatch(/another session/);
    expect((await me(starter.access)).mfa_enabled).toBe(false);
    clock.nextStep();
    expect((await confirm(starter.access, await oathtool(secret, clock.now()))).status).toBe(200);
  });

  it('a setup whose session ended, or that waited 15 minutes, gives way to a new one', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const first = await login(user);
    const second = await login(user);
    const abandoned = (await setup(first.access)).body.secret;
    expect((await api('/api/v1/auth/logout', { body: { refresh: first.refresh } })).status).toBe(204);
    const fresh = (await setup(second.access)).body.secret;
    expect(fresh).not.toBe(abandoned);

    clock.advance(15 * 60_000);
    const late = await confirm(second.access, await oathtool(fresh, clock.now()));
    expect([late.status, late.body.error.message]).toEqual([400, expect.stringMatching(/expired/)]);
    const renewed = (await setup(second.access)).body.secret;
    expect(renewed).not.toBe(fresh);
    expect((await confirm(second.access, await oathtool(renewed, clock.now()))).status).toBe(200);
  });
});
