import { eq } from 'drizzle-orm';
import type { Env } from '../env';
import { getConfig } from '../config/config';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { auditInsert, type AuditInput } from '../audit/record';
import { ApiError, validationError } from '../http/errors';
import { accountState } from '../accounts/state/client';
import { findUserById } from '../users/queries';
import { metaOf, type RequestMeta } from '../http/request-meta';
import type { RequestContext } from '../http/request-context';
import { base32Encode } from './base32';
import { otpauthUri } from './otpauth';
import { classifyCode, generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes';
import { encryptSecret } from './secret-box';
import { checkTotp, readSecret } from './second-factor';
import { confirmPassword, confirmPasswordAndCode } from './reauth';
import { MFA_CHANGES, mailMfaChange } from './notify';
import {
  confirmedSecret,
  deleteRecoveryCodes,
  deleteTotp,
  findTotp,
  insertRecoveryCodes,
  isTotpStateMismatch,
  markTotpConfirmed,
  insertPendingTotp,
  pendingSecret,
  replacePendingTotp,
  requireTotpState,
  type TotpRow,
} from './store';

/** 160 bits, the HMAC-SHA-1 key length RFC 4226 recommends. */
const SECRET_BYTES = 20;

/**
 * How long a setup waits for its confirm. Until then, setup answers with the same secret
 * (from any session); after it, or once its session has ended, a new setup starts afresh.
 */
export const PENDING_SETUP_MS = 15 * 60_000;
/** Compare-and-swap rounds before giving up on a setup that keeps being replaced under us. */
const SETUP_TRIES = 3;

const ALREADY_ON = 'Two-factor authentication is already on. Turn it off first to set up a new authenticator.';
const NOT_ON = 'Two-factor authentication is not on.';
const NO_SETUP = 'There is no authenticator waiting to be confirmed; start with /auth/mfa/totp/setup.';
const SETUP_REPLACED = 'The authenticator setup changed while confirming; start again with /auth/mfa/totp/setup.';
const OTHER_SESSION = `This authenticator setup was started in another session; confirm it there, or start again here once it expires (${PENDING_SETUP_MS / 60_000} minutes).`;
const SETUP_EXPIRED = 'This authenticator setup has expired; start again with /auth/mfa/totp/setup.';

const refuse = (message: string) => validationError({ non_field_errors: [message] }, message);

/** The access token's account and session. */
type Caller = { sub: string; sid: string };

/**
 * POST /auth/mfa/totp/setup: the password, then a secret kept unconfirmed (and encrypted)
 * until /confirm, bound to the caller's session. Idempotent until confirmed: a setup
 * already waiting is answered with its own secret, never replaced (a double submit from a
 * frontend must not break the enrolment); see PENDING_SETUP_MS for when it is.
 */
export async function setupTotp(ctx: RequestContext, caller: Caller, password: string): Promise<{ secret: string; otpauth_uri: string }> {
  const { env, db, now } = ctx;
  const user = await liveUser(db, caller.sub);
  if (user.mfaEnabled) throw refuse(ALREADY_ON);
  await confirmPassword(ctx, user, password, 'mfa_setup');
  const row = await pendingSetup(env, db, user.id, caller.sid, now);
  const encoded = base32Encode(await readSecret(env, user.id, row.secretCiphertext), { pad: false });
  return { secret: encoded, otpauth_uri: otpauthUri(getConfig(env).appName, user.email ?? user.username ?? user.id, encoded) };
}

/**
 * The pending setup the caller gets: the one already waiting if it is still open, else a
 * new one. Every write is conditional (insert only where no row is, replace only the row
 * just seen), so parallel setups all end on the same secret.
 */
async function pendingSetup(env: Env, db: Db, userId: string, sessionId: string, now: number): Promise<TotpRow> {
  const fresh = await encryptSecret(env, userId, crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
  await insertPendingTotp(db, userId, fresh, sessionId, now);
  for (let attempt = 0; attempt < SETUP_TRIES; attempt++) {
    const row = await findTotp(db, userId);
    if (row?.confirmedAt) throw refuse(ALREADY_ON);
    if (!row) await insertPendingTotp(db, userId, fresh, sessionId, now);
    else if (row.secretCiphertext === fresh || (await isOpenSetup(env, row, now))) return row;
    else await replacePendingTotp(db, userId, row.secretCiphertext, fresh, sessionId, now);
  }
  throw new ApiError('rate_limited', 'The authenticator setup is changing too fast; try again.', { retryAfter: 1 });
}

/** Still waiting for its confirm: not expired, and the session that started it is still open. */
async function isOpenSetup(env: Env, row: TotpRow, now: number): Promise<boolean> {
  if (!row.pendingSessionId || now - row.createdAt.getTime() >= PENDING_SETUP_MS) return false;
  return (await accountState(env, row.userId).session(row.pendingSessionId, now)) !== null;
}

/**
 * POST /auth/mfa/totp/confirm: a first valid code turns MFA on and yields the recovery
 * codes. Only the session that started the setup may confirm it, while it is open.
 */
export async function confirmTotp(ctx: RequestContext, caller: Caller, code: string): Promise<{ recovery_codes: string[] }> {
  const { env, db, meta, now } = ctx;
  const user = await liveUser(db, caller.sub);
  const row = await findTotp(db, user.id);
  if (user.mfaEnabled || row?.confirmedAt) throw refuse(ALREADY_ON);
  if (!row) throw refuse(NO_SETUP);
  if (row.pendingSessionId !== caller.sid) throw refuse(OTHER_SESSION);
  if (now - row.createdAt.getTime() >= PENDING_SETUP_MS) throw refuse(SETUP_EXPIRED);
  const submitted = classifyCode(code);
  if (submitted?.kind !== 'totp') throw new ApiError('otp_invalid');
  const check = await checkTotp(env, user.id, await readSecret(env, user.id, row.secretCiphertext), submitted.code, now);
  if (!check.ok) throw new ApiError('otp_invalid');

  const codes = generateRecoveryCodes();
  const at = new Date(now);
  await conditionalBatch(SETUP_REPLACED, db, [
    requireTotpState(db, user.id, pendingSecret(row.secretCiphertext, caller.sid)),
    markTotpConfirmed(db, user.id, now),
    db.update(users).set({ mfaEnabled: true, updatedAt: at }).where(eq(users.id, user.id)),
    deleteRecoveryCodes(db, user.id),
    insertRecoveryCodes(db, user.id, await hashAll(user.id, codes), now),
    auditInsert(db, event(user, 'mfa_enabled', meta, { method: 'totp' }, now)),
  ]);
  // A replica's row from before this still says mfa_enabled = false: a password alone must
  // not sign in on it (accounts/state/fence.ts; the fence is the updated_at just written).
  await accountState(env, user.id).fenceCredentials(at.getTime());
  await mailMfaChange(ctx, user, MFA_CHANGES.enabled);
  return { recovery_codes: codes };
}

/** POST /auth/mfa/totp/disable: password and a current code (TOTP or recovery) turn MFA off. */
export async function disableTotp(ctx: RequestContext, userId: string, input: { password: string; code: string }): Promise<void> {
  const { env, db, meta, now } = ctx;
  const user = await liveUser(db, userId);
  if (!user.mfaEnabled) throw refuse(NOT_ON);
  const factor = await confirmPasswordAndCode(ctx, user, input, 'mfa_disable');
  await conditionalBatch(NOT_ON, db, [
    requireTotpState(db, user.id, confirmedSecret()),
    deleteTotp(db, user.id),
    deleteRecoveryCodes(db, user.id),
    db.update(users).set({ mfaEnabled: false, updatedAt: new Date(now) }).where(eq(users.id, user.id)),
    auditInsert(db, event(user, 'mfa_disabled', meta, { via: factor.via }, now)),
  ]);
  await accountState(env, user.id).forgetTotpSteps();
  await mailMfaChange(ctx, user, MFA_CHANGES.disabled);
}

/** POST /auth/mfa/recovery-codes: password and a current code give ten new codes; the old ones die. */
export async function regenerateRecoveryCodes(ctx: RequestContext, userId: string, input: { password: string; code: string }): Promise<{ recovery_codes: string[] }> {
  const { db, meta, now } = ctx;
  const user = await liveUser(db, userId);
  if (!user.mfaEnabled) throw refuse(NOT_ON);
  const factor = await confirmPasswordAndCode(ctx, user, input, 'mfa_recovery_regenerate');
  const codes = generateRecoveryCodes();
  await conditionalBatch(NOT_ON, db, [
    requireTotpState(db, user.id, confirmedSecret()),
    deleteRecoveryCodes(db, user.id),
    insertRecoveryCodes(db, user.id, await hashAll(user.id, codes), now),
    auditInsert(db, event(user, 'mfa_recovery_regenerated', meta, { via: factor.via }, now)),
  ]);
  await mailMfaChange(ctx, user, MFA_CHANGES.regenerated);
  return { recovery_codes: codes };
}

async function liveUser(db: Db, userId: string): Promise<UserRow> {
  const user = await findUserById(db, userId);
  if (!user || !user.isActive) throw new ApiError('unauthorized');
  return user;
}

/** Runs a batch whose first statement is requireTotpState; its failure becomes a 400 with `message`. */
async function conditionalBatch(message: string, db: Db, statements: Parameters<Db['batch']>[0]): Promise<void> {
  try {
    await db.batch(statements);
  } catch (err) {
    if (isTotpStateMismatch(err)) throw refuse(message);
    throw err;
  }
}

function hashAll(userId: string, codes: string[]): Promise<string[]> {
  return Promise.all(codes.map((code) => hashRecoveryCode(userId, normalizeRecoveryCode(code)!)));
}

function event(user: UserRow, type: AuditInput['type'], meta: RequestMeta, metadata: Record<string, unknown>, now: number): AuditInput {
  return { type, userId: user.id, actorId: user.id, ...metaOf(meta), metadata, at: now };
}
