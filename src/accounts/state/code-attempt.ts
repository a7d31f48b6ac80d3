import type { CodeBudgetPolicy } from './code-budget';
import type { CodeOutcome } from './secrets-ledger';
import type { NewSession, SessionRecord } from './sessions';
import type { StaleAnswer } from './fence';
import type { VerifiedEntry } from './verified-outbox';

/**
 * One submitted emailed code (verification, sign-in or reset), as the Durable Object that
 * holds the account's secrets judges it in one step: the daily budget of wrong codes,
 * then an admin lock (for codes that are a way in), then the code's own ledger entry.
 */
export interface CodeAttempt {
  /** Ledger name: 'verify_email', 'otp_login', 'otp_reset'. */
  purpose: string;
  /** The generation KV holds the code under; null when no code is on file (or no account). */
  generation: string | null;
  /** Whether the submitted code's hash equals the one on file. */
  matched: boolean;
  /**
   * The submitted code itself: the object checks it against the ledger's hash and ignores
   * `generation` and `matched`, or answers 'unchecked' when the ledger holds no hash.
   */
  code?: string;
  /** A sign-in code of an account that may sign in: the session a right code opens in the same step. */
  session?: NewSession;
  /** false: answer what spending would, change nothing (a reset checks the new password in between). */
  spend: boolean;
  /** An already verified address: its used code still answers 'ok'. */
  acceptUsed: boolean;
  /** A way into the account (sign-in, reset): a right code is refused, unspent, while an admin lock holds. */
  wayIn: boolean;
  /** users.updated_at (ms) of the row a sign-in decided on: older than the fence answers 'stale', changing nothing (fence.ts). */
  stamp?: number;
  /**
   * A verification code of an address the row calls unverified: the outbox entry a right
   * code records in the step that spends it (verified-outbox.ts); an address the object
   * vouches for already accepts its used code, as `acceptUsed` does.
   */
  verifies?: VerifiedEntry;
}

/** For a code with `verifies`: 'now' when this attempt verified the address, 'before' when the object vouched for it already. */
export type Verified = 'now' | 'before';

export interface CodeRules {
  maxAttempts: number;
  budget: CodeBudgetPolicy;
}

export type CodeAttemptResult =
  | { outcome: CodeOutcome | 'unchecked'; session?: SessionRecord; verified?: Verified }
  | { outcome: 'rate_limited' | 'locked'; retryAfter: number }
  | StaleAnswer;
