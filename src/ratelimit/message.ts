import type { NamedRule } from './rate-limiter';

/** What each limiter scope counts, in words for a 429 message. */
const SCOPE_NOUNS: Record<string, string> = {
  register: 'registrations',
  otp_request: 'sign-in code requests',
  otp_request_address: 'sign-in code requests',
  otp_verify: 'sign-in code attempts',
  forgot: 'password reset requests',
  forgot_address: 'password reset requests',
  reset: 'password reset attempts',
  anon: 'requests',
  me_update: 'profile updates',
  follows: 'follows',
  follow_decisions: 'follow request decisions',
  blocks: 'blocks',
  social_updates: 'settings and professional profile updates',
};

const WHO = { ip: 'from this IP address', user: 'from this account', address: 'for this email address' } as const;

/** "registrations from this IP address": what a rule counts and whose budget it is. */
export function limitLabel(scope: string, per: keyof typeof WHO): string {
  return `${SCOPE_NOUNS[scope] ?? 'requests'} ${WHO[per]}`;
}

/** "Too many registrations from this IP address: 3 per hour. Try again in 41 minutes." */
export function rateLimitMessage(rule: NamedRule, retryAfterSec: number): string {
  return `Too many ${rule.label ?? 'requests'}: ${rule.limit} per ${windowText(rule.windowSec)}. Try again in ${durationText(retryAfterSec)}.`;
}

const UNITS: [seconds: number, name: string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']];

/** 3600 -> "hour", 600 -> "10 minutes", 90 -> "90 seconds". */
export function windowText(seconds: number): string {
  const [size, name] = UNITS.find(([size]) => seconds % size === 0)!;
  const count = seconds / size;
  return count === 1 ? name : `${count} ${name}s`;
}

/** Rounded up, in the largest unit that keeps it readable: 41 minutes, 2 hours, 1 second. */
export function durationText(seconds: number): string {
  const [size, name] = seconds >= 2 * 86400 ? UNITS[0]! : seconds >= 2 * 3600 ? UNITS[1]! : seconds >= 60 ? UNITS[2]! : UNITS[3]!;
  const count = Math.ceil(seconds / size);
  return `${count} ${name}${count === 1 ? '' : 's'}`;
}
