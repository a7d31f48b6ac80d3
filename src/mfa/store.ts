import { and, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { mfaRecoveryCodes, mfaTotp } from '../db/schema';

/** D1 rows of two-factor: the TOTP secret (encrypted) and the hashed recovery codes. */

export function findTotp(db: Db, userId: string) {
  return db.select().from(mfaTotp).where(eq(mfaTotp.userId, userId)).get();
}

export type TotpRow = typeof mfaTotp.$inferSelect;

/**
 * Keeps a new, unconfirmed secret started by `sessionId`, unless the user already has a
 * row, pending or confirmed: the row is keyed by user, so of any number of parallel
 * setups the first insert wins and the others leave it as it is.
 */
export async function insertPendingTotp(db: Db, userId: string, ciphertext: string, sessionId: string, now: number): Promise<void> {
  await db
    .insert(mfaTotp)
    .values({ userId, secretCiphertext: ciphertext, confirmedAt: null, createdAt: new Date(now), pendingSessionId: sessionId })
    .onConflictDoNothing({ target: mfaTotp.userId });
}

/** Replaces the pending secret `stale` (compare-and-swap): false when it is no longer the pending one. */
export async function replacePendingTotp(db: Db, userId: string, stale: string, ciphertext: string, sessionId: string, now: number): Promise<boolean> {
  const rows = await db
    .update(mfaTotp)
    .set({ secretCiphertext: ciphertext, createdAt: new Date(now), pendingSessionId: sessionId })
    .where(and(eq(mfaTotp.userId, userId), pendingSecret(stale)))
    .returning({ userId: mfaTotp.userId });
  return rows.length === 1;
}

/** The unconfirmed secret `ciphertext`; with `sessionId`, only while that session is the one that started it. */
export const pendingSecret = (ciphertext: string, sessionId?: string) =>
  and(isNull(mfaTotp.confirmedAt), eq(mfaTotp.secretCiphertext, ciphertext), sessionId === undefined ? undefined : eq(mfaTotp.pendingSessionId, sessionId))!;
export const confirmedSecret = () => isNotNull(mfaTotp.confirmedAt);

/**
 * A batch's first statement, making the batch conditional. D1 has no interactive
 * transactions, but a batch is atomic: when the user's TOTP row does not match `state`
 * as the batch runs, this inserts a row with a NULL secret, the NOT NULL constraint
 * fails the statement, and D1 rolls the whole batch back. So a confirm cannot land on a
 * secret that a parallel setup replaced, nor a disable and a regeneration interleave.
 */
export function requireTotpState(db: Db, userId: string, state: SQL) {
  return db
    .insert(mfaTotp)
    .select(sql`SELECT ${userId}, NULL, NULL, 0, NULL WHERE NOT EXISTS (SELECT 1 FROM mfa_totp WHERE ${mfaTotp.userId} = ${userId} AND ${state})`);
}

/** Whether a batch failed because of requireTotpState (and not for some other reason). */
export function isTotpStateMismatch(err: unknown): boolean {
  for (let e = err as { message?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (/constraint failed: mfa_totp\./i.test(String(e.message ?? ''))) return true;
  }
  return false;
}

export function markTotpConfirmed(db: Db, userId: string, now: number) {
  return db.update(mfaTotp).set({ confirmedAt: new Date(now), pendingSessionId: null }).where(eq(mfaTotp.userId, userId));
}

export function deleteTotp(db: Db, userId: string) {
  return db.delete(mfaTotp).where(eq(mfaTotp.userId, userId));
}

export function deleteRecoveryCodes(db: Db, userId: string) {
  return db.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
}

export function insertRecoveryCodes(db: Db, userId: string, hashes: string[], now: number) {
  const at = new Date(now);
  return db.insert(mfaRecoveryCodes).values(hashes.map((codeHash) => ({ id: crypto.randomUUID(), userId, codeHash, usedAt: null, createdAt: at })));
}

/** Spends a recovery code: exactly one of any number of parallel uses gets true. */
export async function spendRecoveryCode(db: Db, userId: string, codeHash: string, now: number): Promise<boolean> {
  const rows = await db
    .update(mfaRecoveryCodes)
    .set({ usedAt: new Date(now) })
    .where(and(eq(mfaRecoveryCodes.userId, userId), eq(mfaRecoveryCodes.codeHash, codeHash), isNull(mfaRecoveryCodes.usedAt)))
    .returning({ id: mfaRecoveryCodes.id });
  return rows.length === 1;
}

export async function unusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(mfaRecoveryCodes)
    .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt)))
    .get();
  return row?.n ?? 0;
}
