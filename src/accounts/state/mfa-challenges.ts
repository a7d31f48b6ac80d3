import type { DeviceInput } from './sessions';

/**
 * The exact half of mfa_tokens, kept in the user's Durable Object: one record per token
 * (by the hash of its secret) between a first factor and the second. It expires, dies
 * after too many wrong codes, is deleted on use, and allows one attempt at a time, so
 * two requests racing with one token cannot both spend a code.
 */
export interface MfaChallenge {
  expiresAt: number;
  attempts: number;
  /** The attempt in progress (its lockout reservation), with when it started. */
  inflight: { id: string; since: number } | null;
  /** The first factor that opened it ('password', 'email_code', ...). */
  firstFactor: string;
  device: DeviceInput | null;
}

/** Challenges by token hash (the object keeps them under storage-layout.ts PREFIXES.mfaChallenge). */
export interface ChallengeStore {
  get(key: string): MfaChallenge | undefined;
  put(key: string, value: MfaChallenge): void;
  delete(key: string): void;
  entries(): Iterable<[string, MfaChallenge]>;
}

export type ChallengeCheck = { ok: true; challenge: MfaChallenge } | { ok: false; reason: 'invalid' | 'busy' };
export type AttemptOutcome = 'ok' | 'invalid' | 'exhausted';

/** An attempt a crashed request never finished stops blocking the token after this. */
const INFLIGHT_TTL_MS = 30_000;

export function open(store: ChallengeStore, tokenHash: string, challenge: Omit<MfaChallenge, 'attempts' | 'inflight'>, now: number): void {
  for (const [k, c] of store.entries()) if (now >= c.expiresAt) store.delete(k);
  store.put(tokenHash, { ...challenge, attempts: 0, inflight: null });
}

/** Whether an attempt may start: the token is live, not exhausted, and not already being tried. */
export function check(store: ChallengeStore, tokenHash: string, maxAttempts: number, now: number): ChallengeCheck {
  const challenge = store.get(tokenHash);
  if (!challenge || now >= challenge.expiresAt || challenge.attempts >= maxAttempts) return { ok: false, reason: 'invalid' };
  if (challenge.inflight && now - challenge.inflight.since < INFLIGHT_TTL_MS) return { ok: false, reason: 'busy' };
  return { ok: true, challenge };
}

export function markInflight(store: ChallengeStore, tokenHash: string, attemptId: string, now: number): void {
  const challenge = store.get(tokenHash);
  if (!challenge) return;
  store.put(tokenHash, { ...challenge, inflight: { id: attemptId, since: now } });
}

/**
 * Ends attempt `attemptId`: a pass deletes the token (single use), a miss counts. 'gone'
 * when the token no longer holds this attempt (it outlived the in-flight limit).
 */
export function finish(
  store: ChallengeStore,
  tokenHash: string,
  attemptId: string,
  passed: boolean,
  maxAttempts: number,
): AttemptOutcome | 'gone' {
  const challenge = store.get(tokenHash);
  if (!challenge || challenge.inflight?.id !== attemptId) return 'gone';
  if (passed) {
    store.delete(tokenHash);
    return 'ok';
  }
  const attempts = challenge.attempts + 1;
  if (attempts >= maxAttempts) {
    store.delete(tokenHash);
    return 'exhausted';
  }
  store.put(tokenHash, { ...challenge, attempts, inflight: null });
  return 'invalid';
}

/** Ends attempt `attemptId` without counting it (the request failed on our side). */
export function abort(store: ChallengeStore, tokenHash: string, attemptId: string): void {
  const challenge = store.get(tokenHash);
  if (challenge?.inflight?.id === attemptId) store.put(tokenHash, { ...challenge, inflight: null });
}

/** What the object's beginMfaAttempt answers: an attempt id (also the lockout reservation), or why not. */
export type AttemptStart =
  | { ok: true; attemptId: string; firstFactor: string; device: DeviceInput | null }
  | { ok: false; reason: 'invalid' | 'busy' }
  | { ok: false; reason: 'locked'; retryAfter: number; byAdmin?: boolean };
