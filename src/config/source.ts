/**
 * What the config is read from: the Worker's vars and secrets (and the mail binding whose
 * absence is a misconfiguration). Apart from Env (src/env.ts), so that config and the
 * Durable Objects that read it do not import the bindings that name them.
 */
export interface ConfigSource {
  /** The send_email binding of the `cloudflare` mail transport. */
  MAILER?: SendEmail;

  // vars (wrangler.toml); all strings, parsed once in config/config.ts
  ENVIRONMENT?: string;
  APP_NAME?: string;
  PUBLIC_URL?: string;
  MAIL_FROM?: string;
  MAIL_TRANSPORT?: string;
  MAIL_HTTP_URL?: string;
  CORS_ORIGINS?: string;
  ENUMERATION_PROTECTION?: string;
  JWT_AUDIENCE?: string;
  [limit: `LIMIT_${string}`]: string | undefined;
  [lifetime: `TTL_${string}`]: string | undefined;
  [retention: `RETENTION_${string}`]: string | undefined;
  /** Alert thresholds and ALERT_RECIPIENTS (comma-separated addresses). */
  [alert: `ALERT_${string}`]: string | undefined;

  // secrets (wrangler secret put / .dev.vars)
  MAIL_HTTP_API_KEY?: string;
  JWT_PRIVATE_JWKS?: string;
  /** 32 random bytes, base64: encrypts TOTP secrets at rest (src/mfa/secret-box.ts). */
  MFA_ENCRYPTION_KEY?: string;

  // Security hardening (issue 11): deploy defaults, audit hashing, bot defence.
  /** Keys the HMAC of identifiers kept in audit metadata (src/audit/identifier-hash.ts); required in production. */
  AUDIT_HASH_KEY?: string;
  /** Cloudflare Turnstile secret key; when set, register, login and code requests need a token (src/turnstile). */
  TURNSTILE_SECRET?: string;
  // --- staff two-factor (issue 11) ---
  /** "true"/"false": staff must have two-factor on to use the admin API and console. Default: on unless development. */
  REQUIRE_ADMIN_MFA?: string;

  // --- coming from Django (issue 16) ---
  /** Absolute URL of the frontend: mailed verification links go to `<FRONTEND_URL>/verify-email?token=…`. */
  FRONTEND_URL?: string;
  /** ISO 3166 region (e.g. PK): national phone numbers become E.164 at register, login and edits. */
  DEFAULT_PHONE_REGION?: string;
  /** "true" (default) / "false": whether an unverified email keeps its account from signing in. */
  REQUIRE_EMAIL_VERIFICATION?: string;
}
