// The freshness fence (src/accounts/state/fence.ts) and the fresh-account read
// (src/sign-in/fresh-account.ts). A sign-in may decide on a row read from a D1 replica a
// few seconds behind; the tests stand for that replica by handing the services the row
// as it was before a change (`seen`), and for a replica that has not got an account yet
// by handing them no row. Object calls are counted with the bench's recorder.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { createRecorder, instrumentEnv, type Recorder } from '../scripts/bench/model/recorder.mjs';
import { getConfig } from '../src/config/config';
import { createDb } from '../src/db/client';
import type { UserRow } from '../src/db/schema';
import { ApiError } from '../src/http/errors';
import { createLogger } from '../src/http/log';
import type { RequestContext } from '../src/http/request-context';
import { passwordLogin } from '../src/sign-in/password-login';
import { acceptLoginCode } from '../src/otp/service';
import { completeMfaSignIn, type Enrolled } from '../src/mfa/sign-in';
import { findTotp } from '../src/mfa/store';
import { findUserById } from '../src/users/queries';
import { userState } from '../src/accounts/state/client';
import { setClock } from '../src/clock';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { signedIn, adminApi } from './admin.fixtures';
import { freezeClock, oathtool, passwordStep } from './helpers/mfa';
import { codeFromMail, SIGN_IN_MAIL } from './otp.helpers';

let recorder: Recorder | null = null;
const instrumented = instrumentEnv(env, () => recorder) as typeof env;
const pending: Promise<unknown>[] = [];

afterEach(async () => {
  await Promise.allSettled(pending.splice(0));
  setClock(null);
});

/**
 * A service's context as a route builds it, with `db` and `primary` two handles (as when
 * `db` is a replica: then a miss is read again from the primary), and every object call
 * recorded.
 */
function context(): RequestContext {
  recorder = createRecorder();
  return {
    env: instrumented,
    config: getConfig(env),
    db: createDb(instrumented.DB),
    primary: createDb(instrumented.DB),
    meta: { ip: '203.0.113.18', userAgent: 'fence-test' },
    now: Date.now(),
    log: createLogger({ test: 'fence' }),
    defer: (_label, work) => void pending.push(work()),
  };
}

const objectCalls = () => recorder!.calls.filter((call) => call.kind === 'do').length;
const byEmail = (email: string) => ({ kind: 'email' as const, value: email });
const rowOf = async (id: string) => (await findUserById(createDb(env.DB), id)) as UserRow;

async function refusal(run: Promise<unknown>): Promise<string> {
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return (err as ApiError).code;
}

describe('a password login decided on a replica row older than the fence', () => {
  it('refuses the replaced password and accepts the new one, counting only what the primary decided', async () => {
    const user = await createVerifiedUser();
    const before = await rowOf(user.id);
    const { access } = await login(user);
    const newPassword = 'Copper-Lantern-Meadow-61';
    const changed = await api('/api/v1/auth/password/change', { token: access, body: { current_password: user.password, new_password: newPassword }, settle: true });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);

    // The stale row still has the old hash, which the old password matches.
    expect(await refusal(passwordLogin(context(), byEmail(user.email), user.password, null, { found: before }))).toBe('invalid_credentials');
    expect(objectCalls()).toBe(2);
    // One failure: the stale call counted nothing, the primary's row counted one.
    expect((await userState(env, user.id).lockoutStatus(Date.now())).failures).toBe(1);

    const tokens = await passwordLogin(context(), byEmail(user.email), newPassword, null, { found: before });
    expect(tokens).toHaveProperty('access');
    expect(objectCalls()).toBe(2);
  });

  it('lets the fresh row through in one object call: the fence is the updated_at the change wrote', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const newPassword = 'Harbour-Quill-Thistle-84';
    const changed = await api('/api/v1/auth/password/change', { token: access, body: { current_password: user.password, new_password: newPassword }, settle: true });
    expect(changed.status).toBe(200);
    const after = await rowOf(user.id);

    const tokens = await passwordLogin(context(), byEmail(user.email), newPassword, null, { found: after });
    expect(tokens).toHaveProperty('access');
    expect(objectCalls()).toBe(1);
  });

  it('does not sign a deactivated account in on the row from before the deactivation', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const before = await rowOf(user.id);
    const res = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { is_active: false }, settle: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);

    expect(await refusal(passwordLogin(context(), byEmail(user.email), user.password, null, { found: before }))).toBe('account_disabled');
  });

  it('does not sign a deleted account in, nor an address an admin marked unverified, on the rows from before', async () => {
    const admin = await signedIn('admin');
    const deleted = await createVerifiedUser();
    const deletedBefore = await rowOf(deleted.id);
    expect((await adminApi(admin, `/users/${deleted.id}`, { method: 'DELETE', settle: true })).status).toBeLessThan(300);
    // The primary has no live account by that address: the stand-in answers.
    expect(await refusal(passwordLogin(context(), byEmail(deleted.email), deleted.password, null, { found: deletedBefore }))).toBe('invalid_credentials');

    const unverified = await createVerifiedUser();
    const unverifiedBefore = await rowOf(unverified.id);
    expect((await adminApi(admin, `/users/${unverified.id}`, { method: 'PATCH', body: { email_verified: false }, settle: true })).status).toBe(200);
    expect(await refusal(passwordLogin(context(), byEmail(unverified.email), unverified.password, null, { found: unverifiedBefore }))).toBe('email_not_verified');
  });

  it('asks for the second factor that was turned on after the replica row', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const before = await rowOf(user.id);
    const { access } = await login(user);
    const setup = await api('/api/v1/auth/mfa/totp/setup', { token: access, body: { password: user.password } });
    // A later moment than the row's (the frozen clock would give both the same updated_at).
    clock.advance(1000);
    const confirm = await api('/api/v1/auth/mfa/totp/confirm', { token: access, body: { code: await oathtool(setup.body.secret, clock.now()) } });
    expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);

    const ctx = { ...context(), now: clock.now() };
    const result = await passwordLogin(ctx, byEmail(user.email), user.password, null, { found: before });
    expect(result).toMatchObject({ mfa_required: true });
    expect(result).not.toHaveProperty('access');
  });
});

describe('an account the replica does not have yet', () => {
  it('is read again from the primary before the answer: a password login signs in', async () => {
    const user = await createVerifiedUser();
    const tokens = await passwordLogin(context(), byEmail(user.email), user.password, null, { found: undefined });
    expect(tokens).toHaveProperty('access');
    // The primary's row: no stamp, no retry.
    expect(objectCalls()).toBe(1);
  });

  it('an address with no account on the primary either is still invalid_credentials', async () => {
    expect(await refusal(passwordLogin(context(), byEmail(`nobody-${crypto.randomUUID()}@example.com`), 'Whatever-Password-12', null, { found: undefined }))).toBe(
      'invalid_credentials',
    );
  });
});

describe('an emailed sign-in code on a stale row', () => {
  it('spends nothing on the stale row, then the primary row refuses the deactivated account', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const before = await rowOf(user.id);
    expect((await api('/api/v1/auth/otp/request', { body: { email: user.email }, settle: true })).status).toBe(200);
    const { code } = await codeFromMail(user.email, SIGN_IN_MAIL);
    const res = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { is_active: false }, settle: true });
    expect(res.status).toBe(200);

    const outcome = acceptLoginCode(context(), user.email, code, null, { found: before });
    expect(await refusal(outcome)).toBe('account_disabled');
    // Stale call, then the primary's: the code was spent once, by the second.
    expect(objectCalls()).toBe(2);
  });

  it('a code for an account the replica has not got yet signs in', async () => {
    const user = await createVerifiedUser();
    expect((await api('/api/v1/auth/otp/request', { body: { email: user.email }, settle: true })).status).toBe(200);
    const { code } = await codeFromMail(user.email, SIGN_IN_MAIL);
    const { session } = await acceptLoginCode(context(), user.email, code, null, { found: undefined });
    expect(session).not.toBeNull();
  });
});

describe('the second factor on a stale row', () => {
  it('is refused for an account deactivated between the steps, on the row from before, leaving the token unspent', async () => {
    const clock = freezeClock();
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const setup = await api('/api/v1/auth/mfa/totp/setup', { token: access, body: { password: user.password } });
    const confirm = await api('/api/v1/auth/mfa/totp/confirm', { token: access, body: { code: await oathtool(setup.body.secret, clock.now()) } });
    expect(confirm.status).toBe(200);
    clock.nextStep();
    const mfaToken = await passwordStep(user);
    const before: Enrolled = { user: await rowOf(user.id), totp: await findTotp(createDb(env.DB), user.id) };
    const res = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { is_active: false }, settle: true });
    expect(res.status).toBe(200);

    const ctx = { ...context(), now: clock.now() };
    expect(await refusal(completeMfaSignIn(ctx, mfaToken, await oathtool(setup.body.secret, clock.now()), { found: before }))).toBe('account_disabled');
    // One object call: the stale one; the primary's row was refused before the object was asked.
    expect(objectCalls()).toBe(1);
  });
});
