import type { Config } from '../../config/config';
import type { LockoutPolicy } from './lockout';
import type { SessionPolicy } from './sessions';
import type { CodeRules } from './code-attempt';

/** The rules the per-user object applies, from the service's config: callers never pass them. */
export interface StatePolicies {
  lockout: LockoutPolicy;
  sessions: SessionPolicy;
  codes: CodeRules;
}

export function statePolicies(config: Config): StatePolicies {
  const { ttl, lockoutThreshold, codeMaxAttempts, codeFailureBudget } = config;
  return {
    lockout: { threshold: lockoutThreshold, lockMs: ttl.lockout * 1000 },
    sessions: { refreshMs: ttl.refreshToken * 1000, absoluteMs: ttl.sessionMaxAge * 1000, graceMs: ttl.refreshGrace * 1000 },
    codes: { maxAttempts: codeMaxAttempts, budget: { limit: codeFailureBudget.limit, windowMs: codeFailureBudget.windowSec * 1000 } },
  };
}
