import { sha256Hex } from '../../crypto/hash';

/**
 * The exact half of one-time secrets (verification link + code, login and reset codes).
 * This ledger, kept in the user's Durable Object, holds the code's hash (so a code is
 * judged and spent in one call), decides which generation is current, counts wrong tries
 * and marks use, so a secret works once even under concurrent submissions and a new one
 * kills the old. KV holds the hashes too (the link's, and codes checked before spending:
 * a password reset, records older than the ledger's hash).
 */
export interface SecretRecord {
  generation: string;
  /**
   * sha256 of `<generation>:<code>` (ledgerCodeHash), so the object can judge a submitted
   * code in the same call that spends it, without the worker reading KV first. Absent on
   * records issued before it was kept: those are checked against KV (codes/emailed-secret.ts).
   */
  codeHash?: string;
  codeExpiresAt: number;
  linkExpiresAt: number | null;
  attempts: number;
  consumed: boolean;
}

export type CodeOutcome = 'ok' | 'invalid' | 'expired' | 'exhausted';

/** What the ledger keeps of a code: its hash under the generation it was issued with. */
export const ledgerCodeHash = (generation: string, code: string) => sha256Hex(`${generation}:${code}`);

/** Records by purpose (the object keeps them under storage-layout.ts PREFIXES.secret). */
export interface LedgerStore {
  get(key: string): SecretRecord | undefined;
  put(key: string, value: SecretRecord): void;
  delete(key: string): void;
}

export function issue(store: LedgerStore, purpose: string, record: Omit<SecretRecord, 'attempts' | 'consumed'>): void {
  store.put(purpose, { ...record, attempts: 0, consumed: false });
}

export interface AttemptOptions {
  /** false: answer what the attempt would, and change nothing. */
  spend?: boolean;
  /** The code already used still answers 'ok' (an address verified already); wrong tries count as ever. */
  acceptUsed?: boolean;
}

/**
 * One code attempt. `matched` is whether the submitted code's hash equals the stored one;
 * `generation` null means no code was on file for it.
 */
export function attemptCode(
  store: LedgerStore,
  purpose: string,
  generation: string | null,
  matched: boolean,
  maxAttempts: number,
  now: number,
  { spend = true, acceptUsed = false }: AttemptOptions = {},
): CodeOutcome {
  const record = store.get(purpose);
  if (!record || record.generation !== generation || (record.consumed && !acceptUsed)) return 'invalid';
  if (now >= record.codeExpiresAt) return 'expired';
  if (record.attempts >= maxAttempts) return 'exhausted';
  if (!matched) {
    if (!spend) return 'invalid';
    record.attempts += 1;
    store.put(purpose, record);
    return record.attempts >= maxAttempts ? 'exhausted' : 'invalid';
  }
  if (spend && !record.consumed) {
    record.consumed = true;
    store.put(purpose, record);
  }
  return 'ok';
}

/** Uses a link token of the current generation once. */
export function consumeLink(store: LedgerStore, purpose: string, generation: string, now: number): CodeOutcome {
  const record = store.get(purpose);
  if (!record || record.generation !== generation || record.consumed) return 'invalid';
  if (record.linkExpiresAt === null || now >= record.linkExpiresAt) return 'expired';
  record.consumed = true;
  store.put(purpose, record);
  return 'ok';
}

export interface PendingSecret {
  purpose: string;
  pending: boolean;
  code_expired: boolean;
  link_expired: boolean | null;
  attempts_left: number;
}

/** What an admin may see of a secret: never the secret. */
export function describe(store: LedgerStore, purpose: string, maxAttempts: number, now: number): PendingSecret | null {
  const record = store.get(purpose);
  if (!record) return null;
  return {
    purpose,
    pending: !record.consumed,
    code_expired: now >= record.codeExpiresAt,
    link_expired: record.linkExpiresAt === null ? null : now >= record.linkExpiresAt,
    attempts_left: Math.max(0, maxAttempts - record.attempts),
  };
}

export function revoke(store: LedgerStore, purpose: string): void {
  store.delete(purpose);
}
