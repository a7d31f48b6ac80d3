import { sql, type SQL } from 'drizzle-orm';
import { auditEvents, devices, type Severity } from '../db/schema';
import { assessRisk, RECENT_FAILURE_WINDOW_MS, RISK_WEIGHTS, type RiskAssessment } from './risk';

/** What the recorder knows without reading anything. */
export interface KnownSignals {
  severity: Severity;
  success: boolean;
  sensitive: boolean;
}

/** Where the signals that need a read are looked up. */
export interface ReadSignalKeys {
  ip: string | null;
  userId: string | null;
  country: string | null;
  /** Known by the recorder, or the fingerprint to look up in `devices` (as the new-device notice does). */
  newDevice: boolean | { fingerprint: string };
  at: number;
}

export interface RiskColumns {
  riskScore: number | SQL;
  requiresReview: boolean | SQL;
}

/**
 * The risk columns of an event insert. Three signals may need a read: recent failures
 * from the IP, a new country and a new device. Rather than a round trip before every
 * insert (the sign-in path records several events), each is a bounded subquery inside the
 * INSERT itself: a count over the partial index of failures by (ip, created_at), stopped
 * at the cap by LIMIT; two probes of (user_id, country); two of devices' (user_id,
 * fingerprint) key. The rule stays the one function in risk.ts: it is evaluated here for
 * every value those reads can take (at most 11 counts × 2 × 2), and the statement only
 * picks the entry of that table the reads select — no weights in SQL.
 */
export function riskColumns(known: KnownSignals, keys: ReadSignalKeys): RiskColumns {
  const failures = keys.ip ? ipFailureCount(keys.ip, keys.at) : null;
  const country = keys.userId && keys.country ? newCountryFlag(keys.userId, keys.country) : null;
  const device = keys.userId && typeof keys.newDevice === 'object' ? newDeviceFlag(keys.userId, keys.newDevice.fingerprint) : null;
  const fixedDevice = keys.newDevice === true;
  const table: RiskAssessment[] = [];
  const maxFailures = failures ? RISK_WEIGHTS.ipFailureCap : 0;
  // Entry n*4 + newCountry*2 + newDevice.
  for (let n = 0; n <= maxFailures; n++) {
    for (const newCountry of [false, true]) {
      for (const newDevice of [false, true]) {
        table.push(assessRisk({ ...known, recentIpFailures: n, newCountry, newDevice: newDevice || fixedDevice }));
      }
    }
  }
  if (!failures && !country && !device) {
    const only = table[0]!;
    return { riskScore: only.score, requiresReview: only.requiresReview };
  }
  const zero = sql.raw('0');
  const selector = sql`(${failures ?? zero}) * 4 + (${country ?? zero}) * 2 + (${device ?? zero})`;
  return {
    riskScore: pick(selector, table, (o) => o.score),
    requiresReview: pick(selector, table, (o) => (o.requiresReview ? 1 : 0)),
  };
}

function pick(selector: SQL, table: RiskAssessment[], value: (o: RiskAssessment) => number): SQL {
  const arms = table.map((o, i) => `WHEN ${i} THEN ${value(o)}`);
  // Only integers computed here are inlined; every value from the request is bound.
  return sql`CASE ${selector} ${sql.raw(arms.join(' '))} END`;
}

/** 1 when the account has devices but not this one (the new-device notice's rule; devices_user_fingerprint_unique). */
function newDeviceFlag(userId: string, fingerprint: string): SQL {
  return sql`(NOT EXISTS (SELECT 1 FROM ${devices} WHERE ${devices.userId} = ${userId} AND ${devices.fingerprintHash} = ${fingerprint})
    AND EXISTS (SELECT 1 FROM ${devices} WHERE ${devices.userId} = ${userId}))`;
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
