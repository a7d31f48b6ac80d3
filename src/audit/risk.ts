import type { Severity } from '../db/schema';

/** What the risk rule looks at, for one event. */
export interface RiskSignals {
  severity: Severity;
  success: boolean;
  /** Signed in from a device the account had not used before. */
  newDevice: boolean;
  /** The request came from a country the account's earlier events never did. */
  newCountry: boolean;
  /** Failed events from the same IP in the last RECENT_FAILURE_WINDOW_MS, counted up to RISK_WEIGHTS.ipFailureCap. */
  recentIpFailures: number;
  /** The catalogue marks the type as always worth a look (role change, refresh reuse, MFA off). */
  sensitive: boolean;
}

export interface RiskAssessment {
  /** 0–100. */
  score: number;
  requiresReview: boolean;
}

export const RISK_WEIGHTS = {
  severity: { low: 0, medium: 20, high: 45, critical: 70 } satisfies Record<Severity, number>,
  failure: 15,
  newDevice: 20,
  newCountry: 25,
  perIpFailure: 3,
  ipFailureCap: 10,
  /** A score from here up is flagged for review. */
  reviewAt: 70,
} as const;

export const RECENT_FAILURE_WINDOW_MS = 15 * 60 * 1000;

/**
 * THE risk rule, applied to every recorded event (src/audit/record.ts): a sum of weights,
 * capped at 100; a score of 70 or more, or a sensitive type, requires review.
 */
export function assessRisk(s: RiskSignals): RiskAssessment {
  const w = RISK_WEIGHTS;
  const failures = Math.min(Math.max(0, Math.floor(s.recentIpFailures)), w.ipFailureCap);
  const sum =
    w.severity[s.severity] +
    (s.success ? 0 : w.failure) +
    (s.newDevice ? w.newDevice : 0) +
    (s.newCountry ? w.newCountry : 0) +
    failures * w.perIpFailure;
  const score = Math.min(100, sum);
  return { score, requiresReview: s.sensitive || score >= w.reviewAt };
}
