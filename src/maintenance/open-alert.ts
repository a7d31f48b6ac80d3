import { AUDIT_EVENTS, EVENT_CATALOGUE } from '../audit/event-types';
import { assessRisk } from '../audit/risk';
import type { Finding } from './security-findings';

/**
 * Opens the alert for a finding, or keeps it open. Returns true only to the one caller
 * that opened it, so a pattern raises one event and one mail while it persists, even
 * with two runs at once. One atomic batch:
 *  1. an alert unseen for the quiet period is closed (its row removed), so a pattern
 *     that comes back later alerts again;
 *  2. INSERT … ON CONFLICT DO NOTHING RETURNING: a row comes back only if this call
 *     inserted it;
 *  3. the security_alert event is inserted only if the alert row is the one opened now
 *     and has no event yet, so it is written exactly once, in the same transaction;
 *  4. the alert is marked seen now.
 */
export async function openAlert(d1: D1Database, finding: Finding, now: number, quietMs: number): Promise<boolean> {
  const metadata = JSON.stringify({ alert_key: finding.key, alert: finding.type, ...finding.metadata });
  // The system's own event: no request, so only its severity scores.
  const risk = assessRisk({ severity: AUDIT_EVENTS.security_alert, success: true, newDevice: false, newCountry: false, recentIpFailures: 0, sensitive: false });
  const [, inserted] = await d1.batch([
    d1.prepare('DELETE FROM security_alerts WHERE key = ?1 AND last_seen_at < ?2').bind(finding.key, now - quietMs),
    d1
      .prepare('INSERT INTO security_alerts (key, type, first_seen_at, last_seen_at) VALUES (?1, ?2, ?3, ?3) ON CONFLICT (key) DO NOTHING RETURNING key')
      .bind(finding.key, finding.type, now),
    d1
      .prepare(
        `INSERT INTO audit_events (id, type, severity, user_id, actor_id, ip, user_agent, metadata, created_at, category, risk_score, requires_review)
         SELECT ?1, 'security_alert', ?2, ?3, NULL, ?4, NULL, ?5, ?6, ?8, ?9, ?10
         WHERE EXISTS (SELECT 1 FROM security_alerts WHERE key = ?7 AND first_seen_at = ?6)
           AND NOT EXISTS (SELECT 1 FROM audit_events WHERE type = 'security_alert' AND created_at = ?6
                           AND json_extract(metadata, '$.alert_key') = ?7)`,
      )
      .bind(
        crypto.randomUUID(),
        AUDIT_EVENTS.security_alert,
        finding.userId,
        finding.ip,
        metadata,
        now,
        finding.key,
        EVENT_CATALOGUE.security_alert.category,
        risk.score,
        risk.requiresReview ? 1 : 0,
      ),
    d1.prepare('UPDATE security_alerts SET last_seen_at = ?1 WHERE key = ?2').bind(now, finding.key),
  ]);
  return (inserted?.results.length ?? 0) > 0;
}
