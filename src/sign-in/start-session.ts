import { and, eq, ne, sql } from 'drizzle-orm';
import type { Env } from '../env';
import { createDb, type Db } from '../db/client';
import { devices, users, type UserRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { sha256Hex } from '../crypto/hash';
import { enqueueMail } from '../mail/enqueue';
import { createLogger, errorSummary } from '../http/log';
import { accountState } from '../accounts/state/client';
import { accountLocked } from './locked';
import { metaOf, type RequestMeta } from '../http/request-meta';
import { tokenResponse, type TokenResponse } from '../sessions/tokens';

export type { DeviceInput } from '../accounts/state/sessions';
import type { DeviceInput } from '../accounts/state/sessions';

/**
 * Everything a successful sign-in does, whichever way it came (password, emailed code,
 * second factor): a session in the user's Durable Object, tokens, last_login, the device
 * row, an audit event, and a notice when the device is new to an account that had others.
 */
export async function startSession(
  env: Env,
  user: UserRow,
  meta: RequestMeta,
  device: DeviceInput | null | undefined,
  method: string,
  now: number,
): Promise<TokenResponse> {
  const db = createDb(env.DB);
  const fingerprint = device?.fingerprint_hash || (await sha256Hex(`ua:${meta.userAgent ?? ''}`));
  const session = await accountState(env, user.id).openSession({ ip: meta.ip, userAgent: meta.userAgent, device: describeDevice(device, meta) }, now);
  if ('locked' in session) throw accountLocked({ retryAfter: session.retryAfter, byAdmin: true });
  const isNewDevice = await recordSignIn(db, user, fingerprint, device, meta, method, session.id, now);
  user.lastLogin = new Date(now);
  if (isNewDevice) await sendNewDeviceNotice(env, user, meta, now);
  return tokenResponse(env, user, session, session.generation, now);
}

/** Returns true when this device is new for an account that already had another. */
async function recordSignIn(
  db: Db,
  user: UserRow,
  fingerprint: string,
  device: DeviceInput | null | undefined,
  meta: RequestMeta,
  method: string,
  sessionId: string,
  now: number,
): Promise<boolean> {
  const at = new Date(now);
  // Statements of a batch run in order: the two reads see the devices before this sign-in.
  const [, known, others] = await db.batch([
    db.update(users).set({ lastLogin: at }).where(eq(users.id, user.id)),
    db
      .select({ n: sql<number>`count(*)` })
      .from(devices)
      .where(and(eq(devices.userId, user.id), eq(devices.fingerprintHash, fingerprint))),
    db
      .select({ n: sql<number>`count(*)` })
      .from(devices)
      .where(and(eq(devices.userId, user.id), ne(devices.fingerprintHash, fingerprint))),
    db
      .insert(devices)
      .values({
        id: crypto.randomUUID(),
        userId: user.id,
        fingerprintHash: fingerprint,
        deviceType: device?.device_type ?? '',
        browser: device?.browser ?? '',
        os: device?.os ?? '',
        firstSeenAt: at,
        lastSeenAt: at,
      })
      .onConflictDoUpdate({ target: [devices.userId, devices.fingerprintHash], set: { lastSeenAt: at } }),
    auditInsert(db, { type: 'login_succeeded', userId: user.id, actorId: user.id, ...metaOf(meta), metadata: { method, session_id: sessionId }, at: now }),
  ]);
  const isNew = (known[0]?.n ?? 0) === 0;
  return isNew && (others[0]?.n ?? 0) > 0;
}

async function sendNewDeviceNotice(env: Env, user: UserRow, meta: RequestMeta, now: number): Promise<void> {
  await enqueueMail(
    env,
    {
      template: 'new_sign_in',
      to: user.email,
      userId: user.id,
      data: { ip: meta.ip, user_agent: meta.userAgent ?? 'unknown', time: new Date(now).toISOString() },
    },
    now,
  ).catch((err: unknown) => createLogger().error('new sign-in notice not queued', { user_id: user.id, ...errorSummary(err) }));
}

function describeDevice(device: DeviceInput | null | undefined, meta: RequestMeta): string | null {
  if (!device) return meta.userAgent;
  return [device.device_type, device.browser, device.os].filter(Boolean).join(' / ') || meta.userAgent;
}
