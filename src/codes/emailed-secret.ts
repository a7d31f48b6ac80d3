import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { sha256Hex, timingSafeEqualStrings } from '../crypto/hash';
import { randomDigits } from '../crypto/random';
import { accountLocked } from '../sign-in/locked';
import { identifierHash } from '../users/identifier';
import { liftSuppressionOnProof, type MailboxProof } from '../mail/bounces/suppressions';
import { accountState, standInState } from '../accounts/state/client';
import { ledgerCodeHash, type CodeOutcome } from '../accounts/state/secrets-ledger';
import type { CodeAttemptResult, Verified } from '../accounts/state/code-attempt';
import type { VerifiedEntry } from '../accounts/state/verified-outbox';
import type { NewSession, SessionRecord } from '../accounts/state/sessions';

/**
 * The one mechanism behind every emailed one-time secret (email verification, sign-in and
 * reset codes): the user's Durable Object keeps the ledger, with the code's hash, that
 * counts wrong tries, makes the code single use and kills the previous one on reissue, and
 * the owner's daily budget of wrong codes; KV keeps a hash of the code too, with a TTL,
 * where any location can read it (a reset checks the code before spending it). Every
 * attempt goes through attemptSecret (or judgeSecret, for a sign-in): one call, the object checks the hash.
 */
export interface SecretKind {
  /** Ledger name in the object: 'verify_email', 'otp_login', 'otp_reset'. */
  ledger: string;
  /** Where KV keeps the code's hash for an account. */
  kvKey(userId: string): string;
  /** What is hashed: the generation and the code (and, for some kinds, the purpose). */
  hashInput(generation: string, code: string): string;
  /** A way into the account (sign-in, reset): a right code is refused, unspent, while an admin lock holds. */
  wayIn: boolean;
  /** What a used code proves, for lifting a bounce suppression ('verify_code', 'login_code', ...). */
  proof: MailboxProof;
}

/** Whose code it is: the account of an address, or (userId null) an address with none. */
export interface CodeOwner {
  userId: string | null;
  email: string;
}

/** What a submitted code is, before any attempt is spent on it. */
export interface CodeCheck {
  generation: string;
  matched: boolean;
}

interface CodeRecord {
  generation: string;
  code_hash: string;
  expires_at: number;
}

const KV_MIN_TTL = 60;
export const kvTtl = (seconds: number) => Math.max(KV_MIN_TTL, seconds);

export interface IssuedSecret {
  code: string;
  generation: string;
  codeExpiresAt: number;
}

/**
 * A fresh 6-digit code of `kind` for the account; the previous one stops working.
 * `linkExpiresAt`: a link token issued with it (verification) lives that long in the ledger.
 */
export async function issueSecret(env: Env, kind: SecretKind, userId: string, ttlSeconds: number, now: number, linkExpiresAt: number | null = null): Promise<IssuedSecret> {
  const generation = crypto.randomUUID();
  const code = randomDigits(6);
  const codeExpiresAt = now + ttlSeconds * 1000;
  // Ledger first: once it names the new generation, the previous code (and link) is dead.
  await accountState(env, userId).issueCode(kind.ledger, { generation, codeHash: await ledgerCodeHash(generation, code), codeExpiresAt, linkExpiresAt });
  const record: CodeRecord = { generation, code_hash: await sha256Hex(kind.hashInput(generation, code)), expires_at: codeExpiresAt };
  await env.KV.put(kind.kvKey(userId), JSON.stringify(record), { expirationTtl: kvTtl(ttlSeconds) });
  return { code, generation, codeExpiresAt };
}

/**
 * Compares `code` with the current one without spending an attempt; null when no code was
 * issued (or KV no longer holds it). `userId` null (no account) reads a key that never
 * exists, so the work resembles a real look-up.
 */
export async function checkSecret(env: Env, kind: SecretKind, userId: string | null, code: string): Promise<CodeCheck | null> {
  const record = await env.KV.get<CodeRecord>(kind.kvKey(userId ?? '-'), 'json');
  if (!record) return null;
  return { generation: record.generation, matched: timingSafeEqualStrings(await sha256Hex(kind.hashInput(record.generation, code)), record.code_hash) };
}

export interface SubmitOptions {
  /** false: answer what spending would, the same refusals included, and change nothing. */
  spend: boolean;
  /** An already verified address: its used code still answers 'ok'. */
  acceptUsed?: boolean;
  /** Runs work after the answer (RequestContext.defer): the bounce suppression's lift. Without it, the lift is awaited. */
  defer?: Deferrer;
  /** A verification code of an unverified row: the object records this entry when the code verifies (code-attempt.ts). */
  verifies?: VerifiedEntry;
}

/** RequestContext.defer's shape: `work` runs after the response has left. */
export type Deferrer = (label: string, work: () => Promise<unknown>) => void;

/**
 * The one door every emailed code goes through, in one call: the object compares the code
 * with the hash its ledger keeps and judges it in the same step (a code issued before the
 * ledger kept hashes is checked against KV's hash, then judged). A wrong code (none on
 * file, no account) counts toward the code's cap and the owner's daily budget; a right
 * one is consumed (unless `spend` is false), and exactly one concurrent right answer gets
 * 'ok', which also proves the address receives mail (a bounce suppression ends). Throws
 * rate_limited (429) once the budget is spent, and account_locked (423) for a right
 * way-in code under an admin lock.
 */
export async function attemptSecret(env: Env, kind: SecretKind, owner: CodeOwner, code: string, now: number, options: SubmitOptions): Promise<CodeOutcome> {
  const { outcome } = await judgeSecret(env, kind, owner, code, now, options);
  // Only a stamped sign-in can be answered 'stale'; this attempt carries no stamp.
  if (outcome === 'stale') throw new Error('unstamped code attempt answered stale');
  return outcome;
}

/**
 * What attemptSecret found, and the session a right sign-in code opened (`session` asked
 * for one); 'stale' when the sign-in's row predates the account's fence (nothing happened).
 */
export type SecretJudgement = { outcome: CodeOutcome; session: SessionRecord | null; verified?: Verified } | { outcome: 'stale'; session: null };

/** What a sign-in adds to attemptSecret: the session a right code opens, and the stamp of the row it decided on (fence.ts). */
export interface SignInCodeOptions {
  session?: NewSession;
  stamp?: number;
}

/** attemptSecret, with `session`: a right code opens it in the same object call (not for a record older than the ledger's hash). */
export async function judgeSecret(env: Env, kind: SecretKind, owner: CodeOwner, code: string, now: number, options: SubmitOptions, signIn: SignInCodeOptions = {}): Promise<SecretJudgement> {
  const attempt = { purpose: kind.ledger, generation: null, matched: false, code, ...signIn, ...attemptFlags(kind, options) };
  const holder = await codeHolder(env, owner);
  let result = await holder.attemptCode(attempt, now);
  if (result.outcome === 'unchecked') {
    // A code issued before the ledger kept hashes: KV's hash decides; no session opens in that call.
    const check = await checkSecret(env, kind, owner.userId, code);
    result = await holder.attemptCode({ ...attempt, code: undefined, session: undefined, generation: check?.generation ?? null, matched: check?.matched ?? false }, now);
  }
  if (result.outcome === 'stale') return { outcome: 'stale', session: null };
  const outcome = await settle(env, kind, owner, result, now, options);
  return { outcome, session: 'session' in result ? (result.session ?? null) : null, ...('verified' in result && result.verified ? { verified: result.verified } : {}) };
}

const attemptFlags = (kind: SecretKind, options: SubmitOptions) => ({
  spend: options.spend,
  acceptUsed: options.acceptUsed ?? false,
  wayIn: kind.wayIn,
  ...(options.verifies ? { verifies: options.verifies } : {}),
});

/** The object's judgement as the caller gets it: 429 and 423 thrown, a used code's proof acted on. */
async function settle(env: Env, kind: SecretKind, owner: CodeOwner, result: CodeAttemptResult, now: number, options: SubmitOptions): Promise<CodeOutcome> {
  if (result.outcome === 'rate_limited') throw new ApiError('rate_limited', 'Too many wrong codes; try again later.', { retryAfter: result.retryAfter });
  if (result.outcome === 'locked') throw accountLocked({ retryAfter: result.retryAfter, byAdmin: true });
  // Only attemptSecret asks for a check by the ledger, and it never lets this answer through.
  if (result.outcome === 'unchecked') throw new Error('code attempt left unchecked');
  // Only a sign-in passes a stamp, and judgeSecret answers 'stale' before settling.
  if (result.outcome === 'stale') throw new Error('stale code attempt settled');
  const userId = owner.userId;
  if (result.outcome === 'ok' && options.spend && userId) {
    // The answer does not depend on the lift (it logs its own failure).
    const lift = () => liftSuppressionOnProof(env, userId, kind.proof, now);
    if (options.defer) options.defer('suppression lift', lift);
    else await lift();
  }
  return result.outcome;
}

/**
 * The object that judges an owner's codes: the account's own, or for an address with no
 * account the stand-in object login uses for it too, so the daily budget of wrong codes
 * runs out, and answers, exactly as it does for an account.
 */
async function codeHolder(env: Env, owner: CodeOwner) {
  if (owner.userId) return accountState(env, owner.userId);
  return standInState(env, await identifierHash({ kind: 'email', value: owner.email }));
}
