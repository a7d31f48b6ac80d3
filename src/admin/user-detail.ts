import { desc, eq } from 'drizzle-orm';
import type { Env } from '../env';
import type { Db } from '../db/client';
import { devices, profiles } from '../db/schema';
import { serializeProfile } from '../users/serialize';
import { accountState } from '../accounts/state/client';
import { historyEntry, sessionHistoryOf } from '../accounts/state/session-history';
import { pendingSecrets } from './pending-secrets';
import { recentEventsOf } from './audit-list';
import { mailFailuresTo, suppressionOf } from './mail-failures';
import { loadTarget } from './target';
import { adminDevice, adminEvent, adminMailFailure, adminSession, adminSuppression, adminUser } from './serialize';

/**
 * Everything an admin sees about one account (soft-deleted ones included): D1 rows, and
 * from its Durable Object the open sessions, the failure lockout, the admin lock (apart
 * from it: until when, by whom, why) and the state of its pending
 * verification and emailed codes (whether one is pending or expired and how many tries
 * are left, never the code or link).
 */
export async function userDetail(env: Env, db: Db, id: string, now: number) {
  const user = await loadTarget(db, id, 'any');
  const state = accountState(env, id);
  const [profile, deviceRows, events, failures, suppression, sessions, lockout, adminLock, secrets, history] = await Promise.all([
    db.query.profiles.findFirst({ where: eq(profiles.userId, id) }),
    db.select().from(devices).where(eq(devices.userId, id)).orderBy(desc(devices.lastSeenAt)),
    recentEventsOf(db, id),
    user.email ? mailFailuresTo(db, user.email) : [],
    user.email ? suppressionOf(db, user.email) : undefined,
    state.sessions(now),
    state.lockoutStatus(now),
    state.adminLockStatus(now),
    pendingSecrets(env, id, now),
    sessionHistoryOf(db, id),
  ]);
  return {
    user: adminUser(user),
    profile: serializeProfile(profile),
    lockout,
    admin_lock: adminLock,
    verification: secrets.verification,
    codes: secrets.codes,
    sessions: sessions.map(adminSession),
    devices: deviceRows.map(adminDevice),
    recent_events: events.map(adminEvent),
    mail_failures: failures.map(adminMailFailure),
    mail_suppression: suppression ? adminSuppression(suppression) : null,
    // --- session history (issue 14): open and ended sessions from the D1 mirror, newest first ---
    session_history: history.map(historyEntry),
  };
}
export type UserDetail = Awaited<ReturnType<typeof userDetail>>;

/** The pending secrets of one account (admin API `…/verification`). */
export async function verificationState(env: Env, db: Db, id: string, now: number) {
  const user = await loadTarget(db, id, 'any');
  return { email_verified: user.emailVerified, ...(await pendingSecrets(env, id, now)) };
}

/** The session history of one account (admin API `…/sessions`): open and ended, newest first. */
export async function userSessionHistory(db: Db, id: string) {
  await loadTarget(db, id, 'any');
  return { results: (await sessionHistoryOf(db, id)).map(historyEntry) };
}
