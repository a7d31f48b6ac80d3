// The user's object keeps the hash of each emailed code in its ledger, so a code is judged
// and spent in one call (codes/emailed-secret.ts attemptSecret). A code issued before the
// ledger kept hashes is still checked against KV.
import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { userState } from '../src/accounts/state/client';
import { PREFIXES } from '../src/accounts/state/storage-layout';
import type { SecretRecord } from '../src/accounts/state/secrets-ledger';
import { codeFromMail, SIGN_IN_MAIL, wrongCode } from './otp.helpers';

const LOGIN_LEDGER = PREFIXES.secret + 'otp_login';

const ledgerRecord = (userId: string) =>
  runInDurableObject(userState(env, userId), (_instance, state) => state.storage.kv.get<SecretRecord>(LOGIN_LEDGER));

/** Makes the record look like one issued before the ledger kept hashes. */
const forgetHash = (userId: string) =>
  runInDurableObject(userState(env, userId), (_instance, state) => {
    const { codeHash: _dropped, ...older } = state.storage.kv.get<SecretRecord>(LOGIN_LEDGER)!;
    state.storage.kv.put(LOGIN_LEDGER, older);
  });

async function userWithCode() {
  const user = await createVerifiedUser();
  expect((await api('/api/v1/auth/otp/request', { body: { email: user.email } })).status).toBe(200);
  const { code } = await codeFromMail(user.email, SIGN_IN_MAIL);
  return { user, code };
}

const verify = (email: string, code: string) => api('/api/v1/auth/otp/verify', { body: { email, code } });

describe('codes judged by the hash in the ledger', () => {
  it('the ledger keeps a hash of the code, never the code', async () => {
    const { user, code } = await userWithCode();
    const record = await ledgerRecord(user.id);
    expect(record?.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(code);
  });

  it('a wrong code counts and a right one signs in once', async () => {
    const { user, code } = await userWithCode();
    expect((await verify(user.email, wrongCode(code))).status).toBe(400);
    expect((await ledgerRecord(user.id))?.attempts).toBe(1);
    expect((await verify(user.email, code)).status).toBe(200);
    expect((await verify(user.email, code)).status).toBe(400);
  });

  it('a code issued before the ledger kept hashes is checked against KV', async () => {
    const { user, code } = await userWithCode();
    await forgetHash(user.id);
    expect((await verify(user.email, wrongCode(code))).status).toBe(400);
    expect((await ledgerRecord(user.id))?.attempts).toBe(1);
    expect((await verify(user.email, code)).status).toBe(200);
    expect((await verify(user.email, code)).status).toBe(400);
  });

  it('of 10 parallel submissions of the right code exactly one signs in', async () => {
    const { user, code } = await userWithCode();
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(user.email, code)));
    const signedIn = results.filter((r) => r.status === 200);
    expect(signedIn).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(9);
    // The session opened in the call that spent the code: one, and it is the answer's.
    const sessions = await api('/api/v1/auth/sessions', { token: signedIn[0]!.body.access });
    expect(sessions.body.results).toHaveLength(1);
  });
});
