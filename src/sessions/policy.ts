import type { Env } from '../env';
import { getConfig } from '../config/config';
import type { SessionPolicy } from '../state/sessions';

export function sessionPolicy(env: Env): SessionPolicy {
  const { ttl } = getConfig(env);
  return { refreshMs: ttl.refreshToken * 1000, absoluteMs: ttl.sessionMaxAge * 1000, graceMs: ttl.refreshGrace * 1000 };
}
