import { and, eq, ne, sql } from 'drizzle-orm';
import type { RequestContext } from '../http/request-context';
import { devices, users, type UserRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { sha256Hex } from '../crypto/hash';
import { mailBestEffort } from '../mail/enqueue';
import { accountState } from '../accounts/state/client';
import { describeDevice, type NewSession, type SessionRecord } from '../accounts/state/sessions';
import { historyStart } from '../accounts/state/session-history';
import { addActivity } from '../activity/daily-activity';
import { accountLocked } from './locked';
import { metaOf } from '../http/request-meta';
import { errorSummary } from '../http/log';
import { tokenResponse, type TokenResponse } from '../sessions/tokens';

export type { DeviceInput } from '../accounts/state/sessions';
import type { DeviceInput } from '../accounts/state/sessions';

import { requestBadgeEvaluation, SIGN_IN_FACTS } from '../badges/triggers';

/**
 * Everything a successful sign-in does, whichever way it came (password, emailed code,
 * second factor): a session in the user's Durable Object and tokens before the answer;
 * after it (ctx.defer: the answer depends on none of it) last_login, the device row, an
 * audit event, the session's history row and the day's login count, and a notice when
 * the device is new to an account that had others. (A password login, a sign-in code and
 * a TOTP second factor open their session in the call that settles them, then go to
 * sessionStarted.)
 */
export async function startSession(
  ctx: RequestContext,
  user: UserRow,
  device: DeviceInput | null | undefined,
  method: string,
): Promise<TokenResponse> {
  const session = await accountState(ctx.env, user.id).openSession(newSession(ctx, device), ctx.now);
  if ('locked' in session) throw accountLocked({ retryAfter: session.retryAfter, byAdmin: true });
  return sessionStarted(ctx, user, device, method, session);
}

/** What the object needs to open a session for this request. */
export function newSession(ctx: RequestContext, device: DeviceInput | null | undefined): NewSession {
  return { ip: ctx.meta.ip, userAgent: ctx.meta.userAgent, device: describeDevice(device, ctx.meta.userAgent) };
}

/** startSession once the object has opened `session` (a sign-in code opens it in the call that spends the code). */
export function sessionStarted(ctx: RequestContext, user: UserRow, device: DeviceInput | null | undefined, method: string, session: SessionRecord): Promise<TokenResponse> {
  const { env, meta, now } = ctx;
  const record = async () => {
    const fingerprint = device?.fingerprint_hash || (await sha256Hex(`ua:${meta.userAgent ?? ''}`));
    if (await recordSignIn(ctx, user, { fingerprint, device, method, session })) await sendNewDeviceNotice(ctx, user);
  };
  // A sign-in can extend a login streak: badges that read it are evaluated once the
  // record is written (queued; the daily sweep catches a request that never got there).
  ctx.defer('badge evaluation request', async () => {
    await record().catch((err: unknown) => ctx.log.error('sign-in record failed', errorSummary(err)));
    await requestBadgeEvaluation(ctx, user.id, SIGN_IN_FACTS);
  });
  user.lastLogin = new Date(now);
  return tokenResponse(env, user, session, session.generation, now);
}

/** One sign-in as the devices table and the audit log record it. */
interface SignInRecord {
  fingerprint: string;
  device: DeviceInput | null | undefined;
  method: string;
  session: SessionRecord;
}

/** Returns true when this device is new for an account that already had another. */
async function recordSignIn(ctx: RequestContext, user: UserRow, signIn: SignInRecord): Promise<boolean> {
  const { db, meta, now } = ctx;
  const { fingerprint, device, method, session } = signIn;
  const sessionId = session.id;
  const at = new Date(now);
  const geo = meta.geo ?? { country: '', city: '', colo: '' };
  const origin = { deviceType: device?.device_type ?? '', browser: device?.browser ?? '', os: device?.os ?? '', ...geo };
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
    // Before the device upsert: its risk score reads whether the device is new.
    auditInsert(db, {
      type: 'login_succeeded',
      userId: user.id,
      actorId: user.id,
      ...metaOf(meta),
      metadata: { method, session_id: sessionId },
      sessionId,
      newDevice: { fingerprint },
      at: now,
    }),
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
    historyStart(db, user.id, session, origin),
    addActivity(db, user.id, now, { logins: 1 }),
  ]);
  const isNew = (known[0]?.n ?? 0) === 0;
  return isNew && (others[0]?.n ?? 0) > 0;
}

async function sendNewDeviceNotice(ctx: RequestContext, user: UserRow): Promise<void> {
  const { meta, now } = ctx;
  const data = { ip: meta.ip, user_agent: meta.userAgent ?? 'unknown', time: new Date(now).toISOString() };
  await mailBestEffort(ctx, { template: 'new_sign_in', to: user.email, userId: user.id, data }, 'new sign-in notice');
}
