import type { JobContext, JobReport, MaintenanceJob } from './job';
import { alertRecipients } from './alert-mail';
import { enqueueMail } from '../mail/enqueue';
import { describeError } from '../mail/errors';

/** One mail lists at most this many events; more wait for the next run (five minutes). */
export const EVENT_ALERTS_PER_RUN = 50;

interface Claimed {
  id: string;
  type: string;
  severity: string;
  user_id: string | null;
  risk_score: number;
  created_at: number;
}

/**
 * Every 5 minutes: events that are critical or flagged for review and were never alerted
 * are mailed to the admins, once, in one mail per recipient per run. The claim is one
 * UPDATE … RETURNING over the partial index audit_events_alert_pending_idx: it marks the
 * events alerted and returns exactly the ones this run marked, so two runs at once never
 * mail the same event. If no mail could be queued, the claim is undone for the next run.
 */
export const eventAlerts: MaintenanceJob = {
  name: 'event_alerts',
  async run(ctx: JobContext): Promise<JobReport> {
    const claimed = await claim(ctx.env.DB, ctx.now);
    if (claimed.length === 0) return { events_alerted: 0, alert_mails_queued: 0 };
    const recipients = await alertRecipients(ctx);
    const data = { count: claimed.length, lines: claimed.map(describe).join('\n'), time: new Date(ctx.now).toISOString() };
    let queued = 0;
    for (const r of recipients) {
      try {
        await enqueueMail(ctx.env, { template: 'events_review', to: r.to, userId: r.userId, data }, ctx.now);
        queued += 1;
      } catch (err) {
        ctx.log.error('event alert mail not queued', { error: describeError(err) });
      }
    }
    if (recipients.length > 0 && queued === 0) {
      await release(ctx.env.DB, claimed, ctx.now);
      return { events_alerted: 0, events_released: claimed.length, alert_mails_queued: 0 };
    }
    return { events_alerted: claimed.length, alert_mails_queued: queued, recipients: recipients.length };
  },
};

async function claim(d1: D1Database, now: number): Promise<Claimed[]> {
  // The inner WHERE repeats the partial index's condition word for word, so SQLite uses it.
  const { results } = await d1
    .prepare(
      `UPDATE audit_events SET alerted_at = ?1
       WHERE id IN (SELECT id FROM audit_events
                    WHERE alerted_at IS NULL AND (severity = 'critical' OR requires_review = 1)
                    ORDER BY created_at LIMIT ?2)
         AND alerted_at IS NULL
       RETURNING id, type, severity, user_id, risk_score, created_at`,
    )
    .bind(now, EVENT_ALERTS_PER_RUN)
    .all<Claimed>();
  return results.sort((a, b) => a.created_at - b.created_at);
}

async function release(d1: D1Database, claimed: Claimed[], now: number): Promise<void> {
  const ids = JSON.stringify(claimed.map((c) => c.id));
  await d1.prepare('UPDATE audit_events SET alerted_at = NULL WHERE alerted_at = ?1 AND id IN (SELECT value FROM json_each(?2))').bind(now, ids).run();
}

function describe(e: Claimed): string {
  const who = e.user_id ? ` of account ${e.user_id}` : '';
  return `${new Date(e.created_at).toISOString()} ${e.type} (${e.severity}, risk ${e.risk_score})${who}, event ${e.id}`;
}
