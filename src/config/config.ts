import { isPhoneRegionSupported } from './phone';
import type { ConfigSource } from './source';

/** A budget of `limit` events per `windowSec` seconds. */
export interface RateRule {
  limit: number;
  windowSec: number;
}

export type MailTransportName = 'dev' | 'cloudflare' | 'http';

export interface Config {
  /** Development only when ENVIRONMENT says so explicitly; anything else is production. */
  environment: 'development' | 'production';
  isDevelopment: boolean;
  appName: string;
  publicUrl: string;
  mailFrom: string;
  mailTransport: MailTransportName;
  mailHttpUrl: string | undefined;
  corsOrigins: string[];
  enumerationProtection: boolean;
  ttl: {
    verifyLink: number;
    code: number;
    accessToken: number;
    refreshToken: number;
    refreshGrace: number;
    sessionMaxAge: number;
    lockout: number;
  };
  codeMaxAttempts: number;
  lockoutThreshold: number;
  passwordHistory: number;
  limits: {
    register: RateRule;
    resendPerHour: RateRule;
    resendSpacing: RateRule;
    otpRequest: RateRule;
    otpVerify: RateRule;
    forgot: RateRule;
    reset: RateRule;
    anonymous: RateRule;
  };
  /** Scheduled maintenance (src/maintenance). */
  retention: { auditDays: number; deletedUsersDays: number; mailDeliveriesDays: number };
  alerts: AlertConfig;

  // --- staff two-factor (issue 11) ---
  /** REQUIRE_ADMIN_MFA: staff without two-factor are refused by the admin API and console. On unless development. */
  requireAdminMfa: boolean;

  /** Per-account limits (issue 11): one budget per user id. */
  userLimits: { meUpdate: RateRule };

  // --- per-account guards (issue 11: admin lock, code budget) ---
  /** Wrong emailed codes an account (or an address without one) may send per window, across purposes and reissues. */
  codeFailureBudget: RateRule;

  // --- social layer (issue 13) ---
  /** Per-user budgets on social writes. */
  socialLimits: { follows: RateRule; blocks: RateRule; followDecisions: RateRule; updates: RateRule };

  // --- coming from Django (issue 16) ---
  /** FRONTEND_URL: mailed verification links open `<frontendUrl>/verify-email?token=…` (the frontend posts the token); '' = this API's own link. */
  frontendUrl: string;
  /** DEFAULT_PHONE_REGION: ISO 3166 region whose national numbers become E.164 ('' = international format only). */
  defaultPhoneRegion: string;
  /** REQUIRE_EMAIL_VERIFICATION: false lets accounts with an unverified email sign in. */
  requireEmailVerification: boolean;
  // --- user events (issue 14) ---
  events: {
    /** POST /events per user. */
    clientEvents: RateRule;
    /** ENGAGEMENT_WEIGHTS: the engagement formula's weights (src/maintenance/engagement.ts). */
    engagementWeights: EngagementWeights;
  };
  // --- sessions and activity (issue 14) ---
  /** Auto-renew, last_active and session history (docs/sessions-and-activity.md). */
  sessionActivity: {
    /** TTL_RENEW_WINDOW: an access token with this many seconds left (or fewer) is renewed. */
    renewWindowSec: number;
    /** RETENTION_SESSION_HISTORY_DAYS: ended sessions are kept (and listed) this long. */
    historyRetentionDays: number;
  };
}

/** Weights of the engagement score over the last 30 days (README "Engagement score"). */
export interface EngagementWeights {
  active_days: number;
  interactions: number;
  new_followers: number;
  posts: number;
}

/** Security analysis thresholds over the last `windowSec`; an alert unseen for `quietSec` is closed. */
export interface AlertConfig {
  windowSec: number;
  quietSec: number;
  stuffingFailures: number;
  stuffingAccounts: number;
  lockouts: number;
  refreshReuse: number;
  /** Extra addresses for alert mail, besides every verified admin. */
  recipients: string[];
}

/** Defaults are the documented limits (README "Configuration"). Each can be overridden by a var of the same name. */
export const DEFAULTS = {
  TTL_VERIFY_LINK: 24 * 3600,
  TTL_CODE: 600,
  TTL_ACCESS_TOKEN: 900,
  TTL_REFRESH_TOKEN: 7 * 24 * 3600,
  TTL_REFRESH_GRACE: 10,
  TTL_SESSION_MAX_AGE: 30 * 24 * 3600,
  TTL_LOCKOUT: 300,
  LIMIT_CODE_ATTEMPTS: 5,
  LIMIT_LOCKOUT_FAILURES: 5,
  LIMIT_PASSWORD_HISTORY: 5,
  LIMIT_REGISTER: '3/3600',
  LIMIT_RESEND_PER_HOUR: '4/3600',
  LIMIT_RESEND_SPACING: '1/60',
  LIMIT_OTP_REQUEST: '3/600',
  LIMIT_OTP_VERIFY: '5/600',
  // API.md gives no figure of their own: forgot mails a code and reset spends one, like OTP request / verify.
  LIMIT_FORGOT: '3/600',
  LIMIT_RESET: '5/600',
  LIMIT_ANONYMOUS: '20/60',
  RETENTION_AUDIT_DAYS: 90,
  RETENTION_DELETED_USERS_DAYS: 30,
  RETENTION_MAIL_DELIVERIES_DAYS: 7,
  ALERT_WINDOW: 900,
  ALERT_QUIET_PERIOD: 3600,
  ALERT_STUFFING_FAILURES: 20,
  ALERT_STUFFING_ACCOUNTS: 3,
  ALERT_LOCKOUTS: 10,
  ALERT_REFRESH_REUSE: 1,
  // Per-account limits (issue 11).
  LIMIT_ME_UPDATE: '30/3600',


  // --- per-account guards (issue 11) ---
  LIMIT_CODE_FAILURES: '20/86400',

  // --- social layer (issue 13): per-user budgets ---
  LIMIT_FOLLOWS: '200/86400',
  LIMIT_BLOCKS: '100/86400',
  LIMIT_FOLLOW_DECISIONS: '500/86400',
  LIMIT_SOCIAL_UPDATES: '100/3600',

  // --- coming from Django (issue 16) ---
  REQUIRE_EMAIL_VERIFICATION: true,
  // --- user events (issue 14) ---
  LIMIT_CLIENT_EVENTS: '60/60',
  ENGAGEMENT_WEIGHTS: 'active_days=2,interactions=0.5,new_followers=1,posts=3',
  // --- sessions and activity (issue 14) ---
  TTL_RENEW_WINDOW: 300,
  RETENTION_SESSION_HISTORY_DAYS: 90,
} as const;

/**
 * Development's rate limits (issue 17): generous enough for a person clicking through a
 * frontend (production's 3 registrations an hour stop them at the fourth sign-up). Applied
 * only when ENVIRONMENT=development and the var is unset; production defaults are DEFAULTS.
 * The tests run as development but pin each of these vars to DEFAULTS (vitest.config.ts),
 * so they exercise the real limits. Lockout and code attempts are not rate limits: unchanged.
 */
export const DEVELOPMENT_LIMITS = {
  LIMIT_REGISTER: '100/3600',
  LIMIT_RESEND_PER_HOUR: '60/3600',
  LIMIT_RESEND_SPACING: '1/5',
  LIMIT_OTP_REQUEST: '60/600',
  LIMIT_OTP_VERIFY: '100/600',
  LIMIT_FORGOT: '60/600',
  LIMIT_RESET: '100/600',
  LIMIT_ANONYMOUS: '300/60',
  LIMIT_ME_UPDATE: '600/3600',
  LIMIT_CODE_FAILURES: '200/86400',
} as const satisfies Partial<Record<keyof typeof DEFAULTS, string>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const cache = new WeakMap<object, Config>();

/** Parses vars once per `env` object; throws ConfigError on a malformed value. */
export function getConfig(env: ConfigSource): Config {
  let config = cache.get(env);
  if (!config) {
    config = parseConfig(env);
    cache.set(env, config);
  }
  return config;
}

/**
 * What development falls back to. Production has no such fallbacks: a deploy that forgot
 * a setting must refuse to serve (missingSecrets), not send links to localhost.
 */
export const DEVELOPMENT_FALLBACKS = {
  PUBLIC_URL: 'http://localhost:8787',
  MAIL_FROM: 'Gatehouse <no-reply@gatehouse.localhost>',
  MAIL_TRANSPORT: 'dev',
  /** The usual local frontend ports; production allows no origin unless CORS_ORIGINS names it. */
  CORS_ORIGINS: 'http://localhost:3000,http://localhost:5173',
} as const;

/** Production's transport when MAIL_TRANSPORT is unset: the send_email binding. */
export const PRODUCTION_MAIL_TRANSPORT: MailTransportName = 'cloudflare';

/** Fail safe: unset, blank, misspelt or any other value is production. */
export function parseEnvironment(raw: string | undefined): Config['environment'] {
  return raw?.trim() === 'development' ? 'development' : 'production';
}

function parseConfig(env: ConfigSource): Config {
  const environment = parseEnvironment(env.ENVIRONMENT);
  const isDevelopment = environment === 'development';
  const transport = (env.MAIL_TRANSPORT?.trim() || (isDevelopment ? DEVELOPMENT_FALLBACKS.MAIL_TRANSPORT : PRODUCTION_MAIL_TRANSPORT)) as MailTransportName;
  if (!['dev', 'cloudflare', 'http'].includes(transport)) {
    throw new ConfigError(`MAIL_TRANSPORT must be dev, cloudflare or http, not "${transport}"`);
  }
  const orDevelopment = (value: string | undefined, fallback: string) => value?.trim() || (isDevelopment ? fallback : '');
  const num = (name: keyof typeof DEFAULTS) => positiveInt(name, env[name as keyof ConfigSource] as string | undefined, DEFAULTS[name] as number);
  const ruleDefault = (name: keyof typeof DEFAULTS) =>
    (isDevelopment ? DEVELOPMENT_LIMITS[name as keyof typeof DEVELOPMENT_LIMITS] : undefined) ?? (DEFAULTS[name] as string);
  const rule = (name: keyof typeof DEFAULTS) => rateRule(name, env[name as keyof ConfigSource] as string | undefined, ruleDefault(name));
  return {
    environment,
    isDevelopment,
    appName: env.APP_NAME?.trim() || 'Gatehouse',
    // Empty in production when unset: missingSecrets names it and nothing is served.
    publicUrl: publicUrl(orDevelopment(env.PUBLIC_URL, DEVELOPMENT_FALLBACKS.PUBLIC_URL)),
    mailFrom: orDevelopment(env.MAIL_FROM, DEVELOPMENT_FALLBACKS.MAIL_FROM),
    mailTransport: transport,
    mailHttpUrl: env.MAIL_HTTP_URL?.trim() || undefined,
    corsOrigins: orDevelopment(env.CORS_ORIGINS, DEVELOPMENT_FALLBACKS.CORS_ORIGINS).split(',').map((o) => o.trim()).filter(Boolean),
    enumerationProtection: env.ENUMERATION_PROTECTION?.trim() === 'true',
    ttl: {
      verifyLink: num('TTL_VERIFY_LINK'),
      code: num('TTL_CODE'),
      accessToken: num('TTL_ACCESS_TOKEN'),
      refreshToken: num('TTL_REFRESH_TOKEN'),
      refreshGrace: num('TTL_REFRESH_GRACE'),
      sessionMaxAge: num('TTL_SESSION_MAX_AGE'),
      lockout: num('TTL_LOCKOUT'),
    },
    codeMaxAttempts: num('LIMIT_CODE_ATTEMPTS'),
    lockoutThreshold: num('LIMIT_LOCKOUT_FAILURES'),
    passwordHistory: num('LIMIT_PASSWORD_HISTORY'),
    limits: {
      register: rule('LIMIT_REGISTER'),
      resendPerHour: rule('LIMIT_RESEND_PER_HOUR'),
      resendSpacing: rule('LIMIT_RESEND_SPACING'),
      otpRequest: rule('LIMIT_OTP_REQUEST'),
      otpVerify: rule('LIMIT_OTP_VERIFY'),
      forgot: rule('LIMIT_FORGOT'),
      reset: rule('LIMIT_RESET'),
      anonymous: rule('LIMIT_ANONYMOUS'),
    },
    retention: {
      auditDays: num('RETENTION_AUDIT_DAYS'),
      deletedUsersDays: num('RETENTION_DELETED_USERS_DAYS'),
      mailDeliveriesDays: num('RETENTION_MAIL_DELIVERIES_DAYS'),
    },
    alerts: {
      windowSec: num('ALERT_WINDOW'),
      quietSec: num('ALERT_QUIET_PERIOD'),
      stuffingFailures: num('ALERT_STUFFING_FAILURES'),
      stuffingAccounts: num('ALERT_STUFFING_ACCOUNTS'),
      lockouts: num('ALERT_LOCKOUTS'),
      refreshReuse: num('ALERT_REFRESH_REUSE'),
      recipients: (env.ALERT_RECIPIENTS ?? '').split(',').map((a) => a.trim().toLowerCase()).filter(Boolean),
    },

    // --- staff two-factor (issue 11) ---
    requireAdminMfa: flag('REQUIRE_ADMIN_MFA', env.REQUIRE_ADMIN_MFA, !isDevelopment),

    userLimits: {
      meUpdate: rule('LIMIT_ME_UPDATE'),
    },

    // --- per-account guards (issue 11) ---
    codeFailureBudget: rule('LIMIT_CODE_FAILURES'),

    // --- social layer (issue 13) ---
    socialLimits: {
      follows: rule('LIMIT_FOLLOWS'),
      blocks: rule('LIMIT_BLOCKS'),
      followDecisions: rule('LIMIT_FOLLOW_DECISIONS'),
      updates: rule('LIMIT_SOCIAL_UPDATES'),
    },

    // --- coming from Django (issue 16) ---
    frontendUrl: absoluteUrl('FRONTEND_URL', env.FRONTEND_URL?.trim() ?? ''),
    defaultPhoneRegion: phoneRegion(env.DEFAULT_PHONE_REGION),
    requireEmailVerification: flag('REQUIRE_EMAIL_VERIFICATION', env.REQUIRE_EMAIL_VERIFICATION, DEFAULTS.REQUIRE_EMAIL_VERIFICATION),
    // --- user events (issue 14) ---
    events: {
      clientEvents: rule('LIMIT_CLIENT_EVENTS'),
      engagementWeights: engagementWeights(env.ENGAGEMENT_WEIGHTS?.trim() || DEFAULTS.ENGAGEMENT_WEIGHTS),
    },
    // --- sessions and activity (issue 14) ---
    sessionActivity: {
      renewWindowSec: num('TTL_RENEW_WINDOW'),
      historyRetentionDays: num('RETENTION_SESSION_HISTORY_DAYS'),
    },
  };
}

/** '' or a region the phone library has numbering data for ("PK", "gb" -> "GB"). */
const isPhoneRegion = (region: string) => /^[A-Z]{2}$/.test(region) && isPhoneRegionSupported(region);

function phoneRegion(raw: string | undefined): string {
  const region = raw?.trim().toUpperCase() ?? '';
  if (region && !isPhoneRegion(region)) throw new ConfigError(`DEFAULT_PHONE_REGION must be a two-letter region code such as PK or GB, not "${raw}"`);
  return region;
}

/** "active_days=2,interactions=0.5,…": every weight named once, each a number ≥ 0. */
function engagementWeights(text: string): EngagementWeights {
  const names = ['active_days', 'interactions', 'new_followers', 'posts'] as const;
  const weights: Partial<EngagementWeights> = {};
  for (const part of text.split(',')) {
    const [name, value] = part.split('=').map((p) => p.trim());
    const weight = Number(value);
    if (!(names as readonly string[]).includes(name ?? '') || value === undefined || value === '' || !Number.isFinite(weight) || weight < 0) {
      throw new ConfigError(`ENGAGEMENT_WEIGHTS must look like "${DEFAULTS.ENGAGEMENT_WEIGHTS}", not "${text}"`);
    }
    weights[name as keyof EngagementWeights] = weight;
  }
  const missing = names.filter((n) => weights[n] === undefined);
  if (missing.length) throw new ConfigError(`ENGAGEMENT_WEIGHTS is missing ${missing.join(', ')}`);
  return weights as EngagementWeights;
}

function publicUrl(text: string): string {
  return absoluteUrl('PUBLIC_URL', text);
}

/** '' or an absolute http(s) URL without its trailing slashes. */
function absoluteUrl(name: string, text: string): string {
  if (!text) return '';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, not "${text}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} must be an absolute http(s) URL, not "${text}"`);
  }
  return text.replace(/\/+$/, '');
}

/** "true" or "false"; blank is the fallback; anything else is a mistake worth refusing to start over. */
function flag(name: string, raw: string | undefined, fallback: boolean): boolean {
  const text = raw?.trim().toLowerCase();
  if (!text) return fallback;
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new ConfigError(`${name} must be true or false, not "${raw}"`);
}

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive whole number, not "${raw}"`);
  }
  return value;
}

function rateRule(name: string, raw: string | undefined, fallback: string): RateRule {
  const text = raw?.trim() || fallback;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match || Number(match[1]) <= 0 || Number(match[2]) <= 0) {
    throw new ConfigError(`${name} must look like "count/seconds" (e.g. "20/60"), not "${text}"`);
  }
  return { limit: Number(match[1]), windowSec: Number(match[2]) };
}

/**
 * Secrets and settings production cannot serve without. Development never needs one: it
 * falls back to generated or local values.
 */
export function missingSecrets(env: ConfigSource, config: Config): string[] {
  if (config.isDevelopment) return [];
  const missing: string[] = [];
  if (!config.publicUrl) missing.push('PUBLIC_URL');
  if (!config.mailFrom) missing.push('MAIL_FROM');
  if (config.mailTransport === 'http') {
    if (!env.MAIL_HTTP_API_KEY) missing.push('MAIL_HTTP_API_KEY');
    if (!config.mailHttpUrl) missing.push('MAIL_HTTP_URL');
  }
  if (config.mailTransport === 'cloudflare' && !env.MAILER) missing.push('MAILER (send_email binding)');
  if (config.mailTransport === 'dev') missing.push('MAIL_TRANSPORT (dev is for development only)');
  // Development generates a key into D1; anywhere else a generated key would be a surprise.
  if (!env.JWT_PRIVATE_JWKS?.trim()) missing.push('JWT_PRIVATE_JWKS');
  // Development derives a fixed key (src/mfa/secret-box.ts); production's must be secret.
  if (!env.MFA_ENCRYPTION_KEY?.trim()) missing.push('MFA_ENCRYPTION_KEY');
  // Development derives one (src/audit/identifier-hash.ts); production's keys the audit's identifier hashes.
  if (!env.AUDIT_HASH_KEY?.trim()) missing.push('AUDIT_HASH_KEY');
  return missing;
}
