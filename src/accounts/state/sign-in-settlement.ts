import type { DeviceInput, NewSession, SessionRecord } from './sessions';
import type { MfaChallenge } from './mfa-challenges';
import type { StaleAnswer } from './fence';

/**
 * A password checked outside the object (the slow hash runs first), settled in one call:
 * the lockout decides, the attempt is counted, and a right password opens what it earns.
 */
export interface SignInSettlement {
  passed: boolean;
  /** users.updated_at (ms) of the row the caller decided on; absent for a primary read or a stand-in (fence.ts). */
  stamp?: number;
  /** An account that may sign in without a second factor: the session a right password opens. */
  session?: NewSession;
  /** A two-factor account: the mfa_token challenge a right password opens (by the hash of its secret). */
  mfaChallenge?: { tokenHash: string; challenge: Omit<MfaChallenge, 'attempts' | 'inflight'> };
  /**
   * The row calls this address unverified, and that alone refuses the sign-in: what is
   * offered opens only while the object vouches for the address (verified here, D1 not
   * told yet or just told: verified-outbox.ts); the answer then says verifiedHere.
   */
  unverifiedEmail?: string;
}

export type SignInSettled =
  | StaleAnswer
  | { outcome: 'locked'; retryAfter: number; byAdmin?: boolean }
  | { outcome: 'failed'; justLocked: boolean }
  | { outcome: 'passed'; session?: SessionRecord; verifiedHere?: boolean };

/** A TOTP second factor matched outside the object (its time step, or null for a wrong code), settled in one call. */
export interface MfaStep {
  tokenHash: string;
  stamp?: number;
  /** The time step the code matched, or null when it matched none. */
  totpStep: number | null;
  /** Who is asking: the session a right code opens describes the device kept with the token. */
  client: { ip: string; userAgent: string | null };
}

export type MfaStepSettled =
  | StaleAnswer
  | { outcome: 'token_invalid' | 'busy' }
  | { outcome: 'locked'; retryAfter: number; byAdmin?: boolean }
  | { outcome: 'invalid' | 'exhausted'; reason: 'wrong' | 'replayed'; justLocked: boolean }
  | { outcome: 'ok'; session: SessionRecord; device: DeviceInput | null; firstFactor: string };
