import { eq } from 'drizzle-orm';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { ConfigError } from '../config/config';
import { createDb, type Db } from '../db/client';
import { devSigningKeys } from '../db/schema';
import { parsePrivateJwk, type PrivateSigningJwk } from './jwk';

const SLOT = 'current';
const SOURCE = 'dev_signing_keys.current';

/**
 * The development signing key, created on first use and kept in D1 so tokens survive
 * restarts. Concurrent first calls may each generate a key, but only the first insert
 * lands (slot is the primary key) and everyone returns the row that won.
 */
export async function ensureDevSigningKey(d1: D1Database, now: number): Promise<PrivateSigningJwk> {
  const db = createDb(d1);
  const existing = await readSlot(db);
  if (existing) return existing;
  const fresh = await generateDevKey();
  await db
    .insert(devSigningKeys)
    .values({ slot: SLOT, kid: fresh.kid, privateJwk: JSON.stringify(fresh), createdAt: new Date(now) })
    .onConflictDoNothing();
  const winner = await readSlot(db);
  if (!winner) throw new Error(`${SOURCE} is missing right after it was written`);
  return winner;
}

async function readSlot(db: Db): Promise<PrivateSigningJwk | undefined> {
  const row = await db.select().from(devSigningKeys).where(eq(devSigningKeys.slot, SLOT)).get();
  if (!row) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(row.privateJwk);
  } catch {
    throw new ConfigError(`${SOURCE} holds invalid JSON; delete the row to get a new key`);
  }
  const key = parsePrivateJwk(value, SOURCE);
  if (key.kid !== row.kid) throw new ConfigError(`${SOURCE}: kid column and JWK disagree; delete the row`);
  return key;
}

async function generateDevKey(): Promise<PrivateSigningJwk> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const { x, d } = await exportJWK(privateKey);
  if (!x || !d) throw new Error('Ed25519 export lacks x or d');
  // RFC 7638 thumbprint: a kid derived from the key itself, unique without coordination.
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x });
  return { kty: 'OKP', crv: 'Ed25519', x, d, kid, alg: 'EdDSA' };
}
