import type { Env } from '../env';
import type { Db } from '../db/client';
import { accountState } from '../accounts/state/client';
import { classifyCode, hashRecoveryCode } from './recovery-codes';
import { decryptSecret } from './secret-box';
import { findTotp, spendRecoveryCode, unusedRecoveryCodes } from './store';
import { matchTotp } from './totp';

export type FactorCheck =
  | { ok: true; via: 'totp' }
  | { ok: true; via: 'recovery'; remaining: number }
  | { ok: false; reason: 'malformed' | 'wrong' | 'replayed' };

/**
 * Checks and spends a second factor of an enrolled user: a TOTP code of the confirmed
 * secret (its time step then spent in the user's Durable Object, so the same code never
 * works twice) or a recovery code (spent in D1 by a conditional update). Lockout and
 * attempt counting are the caller's.
 */
export async function checkSecondFactor(env: Env, db: Db, userId: string, code: string, now: number): Promise<FactorCheck> {
  const submitted = classifyCode(code);
  if (!submitted) return { ok: false, reason: 'malformed' };
  if (submitted.kind === 'recovery') {
    const spent = await spendRecoveryCode(db, userId, await hashRecoveryCode(userId, submitted.code), now);
    return spent ? { ok: true, via: 'recovery', remaining: await unusedRecoveryCodes(db, userId) } : { ok: false, reason: 'wrong' };
  }
  const row = await findTotp(db, userId);
  if (!row?.confirmedAt) return { ok: false, reason: 'wrong' };
  return checkTotp(env, userId, await readSecret(env, userId, row.secretCiphertext), submitted.code, now);
}

/** A TOTP code against `secret`, spending its time step when it matches. */
export async function checkTotp(env: Env, userId: string, secret: Uint8Array, code: string, now: number): Promise<FactorCheck> {
  const step = await matchTotp(secret, code, now);
  if (step === null) return { ok: false, reason: 'wrong' };
  if (!(await accountState(env, userId).spendTotpStep(step))) return { ok: false, reason: 'replayed' };
  return { ok: true, via: 'totp' };
}

/**
 * A secret that does not decrypt means a changed MFA_ENCRYPTION_KEY or a damaged row:
 * our fault, so a 500 that gets logged rather than "wrong code" that locks the user out.
 */
export async function readSecret(env: Env, userId: string, ciphertext: string): Promise<Uint8Array> {
  const secret = await decryptSecret(env, userId, ciphertext);
  if (!secret) throw new Error('TOTP secret does not decrypt: was MFA_ENCRYPTION_KEY changed?');
  return secret;
}
