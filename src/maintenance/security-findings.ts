import { and, count, countDistinct, desc, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents } from '../db/schema';
import type { AlertConfig } from '../config/config';

export type AlertType = 'credential_stuffing' | 'lockout_wave' | 'refresh_reuse';

/** A pattern seen in recent audit events. `key` names the alert it keeps open. */
export interface Finding {
  key: string;
  type: AlertType;
  /** Human name, for the mail subject. */
  title: string;
  /** One sentence of facts for the admin mail. */
  summary: string;
  userId: string | null;
  ip: string | null;
  metadata: Record<string, string | number>;
}

/** Bounds the queries and mails one run can cause; further findings wait for the next run. */
export const MAX_FINDINGS_PER_KIND = 20;

/** The analysed window: [since, until]. */
interface Span {
  since: number;
  until: number;
  minutes: number;
}

/** Everything suspicious in audit events of the last ALERT_WINDOW seconds before `now`, per the thresholds. */
export async function findPatterns(db: Db, alerts: AlertConfig, now: number): Promise<Finding[]> {
  const span = { since: now - alerts.windowSec * 1000, until: now, minutes: Math.round(alerts.windowSec / 60) };
  const [stuffing, lockouts, reuse] = await Promise.all([
    credentialStuffing(db, alerts, span),
    lockoutWave(db, alerts, span),
    refreshReuse(db, alerts, span),
  ]);
  return [...stuffing, ...lockouts, ...reuse];
}

/**
 * Many failed logins from one IP across several accounts. A failure names its target by
 * user id, or for a name with no account by the short identifier hash login records in
 * metadata.target, so guessing at addresses that have no account counts too.
 */
async function credentialStuffing(db: Db, alerts: AlertConfig, { since, until, minutes }: Span): Promise<Finding[]> {
  const failures = count();
  const accounts = countDistinct(sql`coalesce(${auditEvents.userId}, json_extract(${auditEvents.metadata}, '$.target'))`);
  const rows = await db
    .select({ ip: auditEvents.ip, failures, accounts })
    .from(auditEvents)
    .where(and(eq(auditEvents.type, 'login_failed'), gte(auditEvents.createdAt, new Date(since)), lte(auditEvents.createdAt, new Date(until)), isNotNull(auditEvents.ip)))
    .groupBy(auditEvents.ip)
    .having(and(gte(failures, alerts.stuffingFailures), gte(accounts, alerts.stuffingAccounts)))
    .orderBy(desc(failures))
    .limit(MAX_FINDINGS_PER_KIND);
  return rows.map(({ ip, failures, accounts }) => ({
    key: `credential_stuffing:${ip}`,
    type: 'credential_stuffing',
    title: 'credential stuffing',
    summary: `${failures} failed sign-ins for ${accounts} accounts from ${ip} in ${minutes} minutes.`,
    userId: null,
    ip,
    metadata: { failures, accounts, window_minutes: minutes },
  }));
}

/** Many accounts locked in the window, from anywhere: one alert for the whole wave. */
async function lockoutWave(db: Db, alerts: AlertConfig, { since, until, minutes }: Span): Promise<Finding[]> {
  const [row] = await db
    .select({ lockouts: count(), ips: countDistinct(auditEvents.ip) })
    .from(auditEvents)
    .where(and(eq(auditEvents.type, 'account_locked'), gte(auditEvents.createdAt, new Date(since)), lte(auditEvents.createdAt, new Date(until))));
  if (!row || row.lockouts < alerts.lockouts) return [];
  return [
    {
      key: 'lockout_wave',
      type: 'lockout_wave',
      title: 'many lockouts',
      summary: `${row.lockouts} accounts locked after failed sign-ins, from ${row.ips} IP addresses, in ${minutes} minutes.`,
      userId: null,
      ip: null,
      metadata: { lockouts: row.lockouts, ips: row.ips, window_minutes: minutes },
    },
  ];
}

/** A replayed refresh token (theft signal), per account. */
async function refreshReuse(db: Db, alerts: AlertConfig, { since, until, minutes }: Span): Promise<Finding[]> {
  const reuses = count();
  const rows = await db
    .select({ userId: auditEvents.userId, reuses, ips: countDistinct(auditEvents.ip) })
    .from(auditEvents)
    .where(and(eq(auditEvents.type, 'refresh_reuse_detected'), gte(auditEvents.createdAt, new Date(since)), lte(auditEvents.createdAt, new Date(until)), isNotNull(auditEvents.userId)))
    .groupBy(auditEvents.userId)
    .having(gte(reuses, alerts.refreshReuse))
    .orderBy(desc(reuses), sql`${auditEvents.userId}`)
    .limit(MAX_FINDINGS_PER_KIND);
  return rows.map(({ userId, reuses, ips }) => ({
    key: `refresh_reuse:${userId}`,
    type: 'refresh_reuse',
    title: 'refresh token reuse',
    summary: `A used refresh token of account ${userId} was presented again ${reuses} time(s) in ${minutes} minutes; the session was revoked.`,
    userId,
    ip: null,
    metadata: { reuses, ips, window_minutes: minutes },
  }));
}
