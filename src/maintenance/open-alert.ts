import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, securityAlerts } from '../db/schema';
import { AUDIT_EVENTS } from '../audit/event-types';
import type { Finding } from './security-findings';

/**
 * Opens the alert for a finding, or keeps it open. Returns true only to the one caller
 * that opened it, so a pattern raises one event and one mail while it persists, even
 * with two runs at once. One atomic batch:
 *  1. an alert unseen for the quiet period is closed (its row removed), so a pattern
 *     that comes back later alerts again;
 *  2. INSERT … ON CONFLICT DO NOTHING RETURNING: a row comes back only if this call
 *     inserted it;
 *  3. the security_alert event is inserted only if the alert row is the one just opened
 *     (first seen now) and no event for it exists yet, so the event cannot be lost or doubled
 *     even when the caller dies before step 2's answer arrives;
 *  4. the alert is marked seen now.
 */
export async function openAlert(db: Db, finding: Finding, now: number, quietMs: number): Promise<boolean> {
  const metadata = JSON.stringify({ alert_key: finding.key, alert: finding.type, ...finding.metadata });
  const [, inserted] = await db.batch([
    db.delete(securityAlerts).where(and(eq(securityAlerts.key, finding.key), lt(securityAlerts.lastSeenAt, new Date(now - quietMs)))),
    db
      .insert(securityAlerts)
      .values({ key: finding.key, type: finding.type, firstSeenAt: new Date(now), lastSeenAt: new Date(now) })
      .onConflictDoNothing()
      .returning({ key: securityAlerts.key }),
    db.run(sql`INSERT INTO ${auditEvents} (id, type, severity, user_id, actor_id, ip, user_agent, metadata, created_at)
      SELECT ${crypto.randomUUID()}, 'security_alert', ${AUDIT_EVENTS.security_alert}, ${finding.userId}, NULL, ${finding.ip}, NULL, ${metadata}, ${now}
      WHERE EXISTS (SELECT 1 FROM ${securityAlerts} WHERE ${securityAlerts.key} = ${finding.key} AND ${securityAlerts.firstSeenAt} = ${now})
        AND NOT EXISTS (SELECT 1 FROM ${auditEvents} WHERE ${auditEvents.type} = 'security_alert' AND ${auditEvents.createdAt} = ${now}
          AND json_extract(${auditEvents.metadata}, '$.alert_key') = ${finding.key})`),
    db.update(securityAlerts).set({ lastSeenAt: new Date(now) }).where(eq(securityAlerts.key, finding.key)),
  ]);
  return inserted.length > 0;
}
