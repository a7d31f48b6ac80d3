import { sql, type SQL } from 'drizzle-orm';
import { auditEvents, type Severity } from '../db/schema';
import { assessRisk, RECENT_FAILURE_WINDOW_MS, RISK_WEIGHTS, type RiskAssessment } from './risk';

/** What the recorder knows without reading anything. */
export interface KnownSignals {
  severity: Severity;
  success: boolean;
  newDevice: boolean;
  sensitive: boolean;
}

/** Where the two signals that need a read are looked up. */
export interface ReadSignalKeys {
  ip: string | null;
  userId: string | null;
  country: string | null;
  at: number;
}

export interface RiskColumns {
  riskScore: number | SQL;
  requiresReview: boolean | SQL;
}

/**
 * The risk columns of an event insert. Two signals need a read: recent failures from the
 * IP and a new country. Rather than a round trip before every insert (the sign-in path
 * records several events), both are bounded subqueries inside the INSERT itself: a count
 * over the partial index of failures by (ip, created_at), stopped at the cap by LIMIT, and
 * two probes of (user_id, country). The rule stays the one function in risk.ts: it is
 * evaluated here for every value those reads can take (cap + 1 counts × 2), and the
 * statement only picks the row of that table the reads select — no weights in SQL.
 */
export function riskColumns(known: KnownSignals, keys: ReadSignalKeys): RiskColumns {
  const failures = keys.ip ? ipFailureCount(keys.ip, keys.at) : null;
  const country = keys.userId && keys.country ? newCountryFlag(keys.userId, keys.country) : null;
  const outcomes: RiskAssessment[][] = [];
  for (let n = 0; n <= (failures ? RISK_WEIGHTS.ipFailureCap : 0); n++) {
    outcomes.push([false, true].map((newCountry) => assessRisk({ ...known, newCountry, recentIpFailures: n })));
  }
  if (!failures && !country) {
    const [only] = outcomes[0]!;
    return { riskScore: only!.score, requiresReview: only!.requiresReview };
  }
  const selector = sql`(${failures ?? sql.raw('0')}) * 2 + (${country ?? sql.raw('0')})`;
  return {
    riskScore: pick(selector, outcomes, (o) => o.score),
    requiresReview: pick(selector, outcomes, (o) => (o.requiresReview ? 1 : 0)),
  };
}

function pick(selector: SQL, outcomes: RiskAssessment[][], value: (o: RiskAssessment) => number): SQL {
  const arms = outcomes.flatMap((pair, n) => pair.map((o, c) => `WHEN ${n * 2 + c} THEN ${value(o)}`));
  // Only integers we computed are inlined; every value from the request is bound.
  return sql`CASE ${selector} ${sql.raw(arms.join(' '))} END`;
}

/** Failed events from `ip` in the window, counted up to the cap (the LIMIT bounds the scan). */
function ipFailureCount(ip: string, at: number): SQL {
  // `success = 0` is written out so the planner can use the partial index audit_events_ip_failures_idx.
  return sql`(SELECT count(*) FROM (SELECT 1 FROM ${auditEvents} WHERE ${auditEvents.ip} = ${ip} AND success = 0
    AND ${auditEvents.createdAt} >= ${at - RECENT_FAILURE_WINDOW_MS} LIMIT ${sql.raw(String(RISK_WEIGHTS.ipFailureCap))}))`;
}

/** 1 when the account has events with a country, none of them this one (index audit_events_user_country_idx). */
function newCountryFlag(userId: string, country: string): SQL {
  return sql`(EXISTS (SELECT 1 FROM ${auditEvents} WHERE ${auditEvents.userId} = ${userId} AND ${auditEvents.country} IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM ${auditEvents} WHERE ${auditEvents.userId} = ${userId} AND ${auditEvents.country} = ${country}))`;
}
