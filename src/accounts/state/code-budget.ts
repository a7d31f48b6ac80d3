/**
 * The daily budget of wrong emailed codes of one account, or of one address with no
 * account (its stand-in object), across every purpose and every reissue. Each code has
 * its own cap of wrong tries, but a new code starts a new cap; this ceiling does not.
 * Kept as the times of the failures inside the window (at most `limit` of them), so the
 * window slides and Retry-After is exact.
 */
export interface CodeBudgetPolicy {
  limit: number;
  windowMs: number;
}

/** Failure times inside the window; the window they were counted under, for the cleanup alarm. */
export interface FailureLog {
  failures: number[];
  windowMs: number;
}

export const emptyLog = (policy: CodeBudgetPolicy): FailureLog => ({ failures: [], windowMs: policy.windowMs });

function inWindow(log: FailureLog, policy: CodeBudgetPolicy, now: number): number[] {
  return log.failures.filter((at) => at > now - policy.windowMs && at <= now + policy.windowMs);
}

/** Seconds until the budget has room again, or null while it has room. */
export function spentFor(log: FailureLog, policy: CodeBudgetPolicy, now: number): number | null {
  const recent = inWindow(log, policy, now);
  if (recent.length < policy.limit) return null;
  const frees = recent[recent.length - policy.limit]! + policy.windowMs;
  return Math.max(1, Math.ceil((frees - now) / 1000));
}

/** The log with one more failure at `now`, trimmed to what the window still needs. */
export function recordFailure(log: FailureLog, policy: CodeBudgetPolicy, now: number): FailureLog {
  return { failures: [...inWindow(log, policy, now), now].slice(-policy.limit), windowMs: policy.windowMs };
}

/** When the last failure leaves the window (until then the log is live state), or null once it has. */
export function liveUntil(log: FailureLog, now: number): number | null {
  const last = Math.max(...log.failures, -Infinity) + log.windowMs;
  return last > now ? last : null;
}
