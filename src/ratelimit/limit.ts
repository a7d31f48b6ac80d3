import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env';
import type { AppEnv } from '../http/context';
import type { Config, RateRule } from '../config/config';
import { ApiError } from '../http/errors';
import { clock } from '../clock';
import { sha256Hex } from '../crypto/hash';
import type { NamedRule } from './rate-limiter';
import { ipLimitKey } from './client-ip';
import { limitLabel, rateLimitMessage } from './message';

/** Spends one unit of every rule on `key`'s limiter, or throws 429 with Retry-After and a message naming the limit. */
export async function consumeLimit(env: Env, key: string, rules: NamedRule[]): Promise<void> {
  const decision = await env.RATE_LIMITER.getByName(key).hit(rules, clock.now());
  if (decision.allowed) return;
  const refused = rules.find((r) => r.name === decision.rule);
  throw new ApiError('rate_limited', refused && rateLimitMessage(refused, decision.retryAfter), { retryAfter: decision.retryAfter });
}

export const rule = (name: string, r: RateRule, label?: string): NamedRule => ({ name, limit: r.limit, windowSec: r.windowSec, label });

/**
 * Per-client-IP limit for a route (CF-Connecting-IP; X-Forwarded-For is never trusted).
 * IPv6 clients are counted by their /64 (see client-ip.ts).
 */
export function limitByIp(scope: string, pick: (config: Config) => RateRule): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await consumeLimit(c.env, `${scope}:${ipLimitKey(c.get('clientIp'))}`, [rule(scope, pick(c.get('config')), limitLabel(scope, 'ip'))]);
    await next();
  };
}

/**
 * limitByIp, decided while the route's first read runs (one round trip instead of two):
 * the service awaits ctx.admitted together with that read (Promise.all), before any write
 * or object call, so only a read ever runs before the limit has spoken. A refused request
 * answers 429 whatever came of the rest, bad input included, as with limitByIp.
 */
export function limitByIpAlongside(scope: string, pick: (config: Config) => RateRule): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const decision = consumeLimit(c.env, `${scope}:${ipLimitKey(c.get('clientIp'))}`, [rule(scope, pick(c.get('config')), limitLabel(scope, 'ip'))]);
    // Awaited below; this only keeps a refusal from being reported unhandled meanwhile.
    decision.catch(() => undefined);
    c.set('admission', decision);
    await next();
    await decision;
  };
}

/** Per-account limit for an authenticated route (after requireAuth): one budget per user id. */
export function limitByUser(scope: string, pick: (config: Config) => RateRule): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await consumeLimit(c.env, `${scope}:user:${c.get('auth').sub}`, [rule(scope, pick(c.get('config')), limitLabel(scope, 'user'))]);
    await next();
  };
}

/** The shared budget of anonymous routes without a tighter limit of their own. */
export const anonymousLimit = limitByIp('anon', (config) => config.limits.anonymous);

/** The same budget, decided alongside the route's first read (limitByIpAlongside). */
export const anonymousLimitAlongside = limitByIpAlongside('anon', (config) => config.limits.anonymous);

/** Limiter key for a per-address limit: hashed so limiter names carry no addresses. */
export async function addressKey(scope: string, email: string): Promise<string> {
  return `${scope}:${await sha256Hex(email)}`;
}
