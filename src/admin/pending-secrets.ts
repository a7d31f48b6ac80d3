import type { Env } from '../env';
import { accountState } from '../accounts/state/client';
import { describeVerification } from '../codes/verification';
import type { PendingSecret } from '../accounts/state/secrets-ledger';

/**
 * Ledger names of the emailed one-time codes (src/codes/one-time-codes.ts keeps them as
 * `otp_${purpose}`); admin.users tests fail if that naming changes.
 */
const CODE_LEDGER = { login: 'otp_login', reset: 'otp_reset' } as const;

/** Only the state of a secret: pending or used, expired or not, tries left. Never the secret. */
function stateOf(secret: PendingSecret | null) {
  return secret && { pending: secret.pending, code_expired: secret.code_expired, link_expired: secret.link_expired, attempts_left: secret.attempts_left };
}

/** The account's email verification and its emailed sign-in and reset codes, from its Durable Object. */
export async function pendingSecrets(env: Env, userId: string, now: number) {
  const state = accountState(env, userId);
  const [verification, login, reset] = await Promise.all([
    describeVerification(env, userId, now),
    state.describeSecret(CODE_LEDGER.login, now),
    state.describeSecret(CODE_LEDGER.reset, now),
  ]);
  const code = (s: PendingSecret | null) => s && { pending: s.pending, code_expired: s.code_expired, attempts_left: s.attempts_left };
  return { verification: stateOf(verification), codes: { login: code(login), reset: code(reset) } };
}
export type PendingSecrets = Awaited<ReturnType<typeof pendingSecrets>>;
