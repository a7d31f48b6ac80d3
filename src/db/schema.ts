
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Milliseconds since the epoch, stored as INTEGER. */
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const ROLES = ['admin', 'manager', 'user'] as const;
export type Role = (typeof ROLES)[number];

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Trimmed and lower-cased. */
    email: text('email').notNull(),
    username: text('username'),
    /** NFKC + lower case of username: the case-insensitive unique key. */
    usernameKey: text('username_key'),
    /** E.164 (+ and digits only). */
    phoneNumber: text('phone_number'),
    firstName: text('first_name').notNull().default(''),
    lastName: text('last_name').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ROLES }).notNull().default('user'),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    emailVerified: integer('email_verified', { mode: 'boolean' }).notNull().default(false),
    mfaEnabled: integer('mfa_enabled', { mode: 'boolean' }).notNull().default(false),
    dateJoined: timestamp('date_joined').notNull(),
    lastLogin: timestamp('last_login'),
    passwordChangedAt: timestamp('password_changed_at'),
    deletedAt: timestamp('deleted_at'),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_email_unique').on(t.email),
    uniqueIndex('users_username_key_unique').on(t.usernameKey),
    uniqueIndex('users_phone_number_unique').on(t.phoneNumber),
    index('users_date_joined_idx').on(t.dateJoined),
    // The trash lists by deletion time.
    index('users_deleted_at_idx').on(t.deletedAt),
    // Admin list: every filter is combined with deleted_at and ordered by date_joined.
    index('users_deleted_joined_idx').on(t.deletedAt, t.dateJoined),
    index('users_role_deleted_joined_idx').on(t.role, t.deletedAt, t.dateJoined),
    index('users_active_deleted_joined_idx').on(t.isActive, t.deletedAt, t.dateJoined),
    index('users_verified_deleted_joined_idx').on(t.emailVerified, t.deletedAt, t.dateJoined),
    // Admin search by name prefix (SQLite's lower() folds ASCII only).
    index('users_first_name_lower_idx').on(sql`lower(${t.firstName})`),
    index('users_last_name_lower_idx').on(sql`lower(${t.lastName})`),
  ],
);

export const profiles = sqliteTable('profiles', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  bio: text('bio').notNull().default(''),
  avatarUrl: text('avatar_url').notNull().default(''),
  location: text('location').notNull().default(''),
  website: text('website').notNull().default(''),
  timezone: text('timezone').notNull().default(''),
  language: text('language').notNull().default(''),
  updatedAt: timestamp('updated_at').notNull(),
});

export const passwordHistory = sqliteTable(
  'password_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('password_history_user_created_idx').on(t.userId, t.createdAt)],
);

export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    fingerprintHash: text('fingerprint_hash').notNull(),
    deviceType: text('device_type').notNull().default(''),
    browser: text('browser').notNull().default(''),
    os: text('os').notNull().default(''),
    firstSeenAt: timestamp('first_seen_at').notNull(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
  },
  (t) => [uniqueIndex('devices_user_fingerprint_unique').on(t.userId, t.fingerprintHash)],
);

export const SEVERITIES = ['info', 'warning', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull().default('info'),
    /** The account the event is about (no FK: events outlive soft deletes until purged). */
    userId: text('user_id'),
    /** Who did it: the user, an admin, or null for the system / an anonymous client. */
    actorId: text('actor_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** JSON object; never secrets. */
    metadata: text('metadata').notNull().default('{}'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    index('audit_events_created_idx').on(t.createdAt),
    index('audit_events_user_created_idx').on(t.userId, t.createdAt),
    index('audit_events_type_created_idx').on(t.type, t.createdAt),
    index('audit_events_severity_created_idx').on(t.severity, t.createdAt),
    index('audit_events_ip_created_idx').on(t.ip, t.createdAt),
    index('audit_events_actor_created_idx').on(t.actorId, t.createdAt),
  ],
);

/** Mail that exhausted its retries (written by the dead-letter consumer). */
export const mailFailures = sqliteTable(
  'mail_failures',
  {
    id: text('id').primaryKey(),
    messageId: text('message_id').notNull(),
    template: text('template').notNull(),
    recipient: text('recipient').notNull(),
    userId: text('user_id'),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('mail_failures_message_unique').on(t.messageId),
    index('mail_failures_created_idx').on(t.createdAt),
    index('mail_failures_recipient_idx').on(t.recipient),
  ],
);

/**
 * One row per mail job sent: a redelivered queue message finds it and is not sent twice.
 * Recipient and Message-ID let a bounce or complaint prove it is about mail we sent to
 * that address (src/mail/bounces/apply.ts); rows from before they were recorded have neither.
 */
export const mailDeliveries = sqliteTable(
  'mail_deliveries',
  {
    /** The queue job's id. */
    messageId: text('message_id').primaryKey(),
    template: text('template').notNull(),
    transport: text('transport').notNull(),
    sentAt: timestamp('sent_at').notNull(),
    /** Normalized (trimmed, lower-cased) address the message went to. */
    recipient: text('recipient'),
    /** The message's Message-ID header without angle brackets, lower-cased. */
    mimeMessageId: text('mime_message_id'),
  },
  (t) => [index('mail_deliveries_sent_idx').on(t.sentAt), uniqueIndex('mail_deliveries_mime_message_id_idx').on(t.mimeMessageId)],
);

export type UserRow = typeof users.$inferSelect;
export type ProfileRow = typeof profiles.$inferSelect;

/**
 * Development-only signing keys, generated on first use so `npm run dev` needs no setup.
 * Production keys come from the JWT_PRIVATE_JWKS secret and never touch the database.
 */
export const devSigningKeys = sqliteTable('dev_signing_keys', {
  /** Fixed slot name ("current"): the primary key makes the first writer win a race. */
  slot: text('slot').primaryKey(),
  kid: text('kid').notNull(),
  privateJwk: text('private_jwk').notNull(),
  createdAt: timestamp('created_at').notNull(),
});

/** Addresses that bounced or complained: the mail consumer sends nothing to them. */
export const mailSuppressions = sqliteTable(
  'mail_suppressions',
  {
    /** Normalized (trimmed, lower-cased) address. */
    email: text('email').primaryKey(),
    kind: text('kind', { enum: ['bounce', 'complaint'] }).notNull(),
    reason: text('reason').notNull(),
    /** The reporting MTA's diagnostic line, trimmed. */
    diagnostic: text('diagnostic').notNull().default(''),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('mail_suppressions_created_idx').on(t.createdAt)],
);

/** One row per UTC day, written by the daily job. */
export const dailyStats = sqliteTable('daily_stats', {
  day: text('day').primaryKey(),
  signups: integer('signups').notNull().default(0),
  verifications: integer('verifications').notNull().default(0),
  logins: integer('logins').notNull().default(0),
  loginFailures: integer('login_failures').notNull().default(0),
  lockouts: integer('lockouts').notNull().default(0),
  mailsSent: integer('mails_sent').notNull().default(0),
  mailsFailed: integer('mails_failed').notNull().default(0),
  createdAt: timestamp('created_at').notNull(),
});

/** Open security alerts, so a pattern that persists raises one event, not one per run. */
export const securityAlerts = sqliteTable(
  'security_alerts',
  {
    /** e.g. "credential_stuffing:203.0.113.9". */
    key: text('key').primaryKey(),
    type: text('type').notNull(),
    firstSeenAt: timestamp('first_seen_at').notNull(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
  },
  (t) => [index('security_alerts_last_seen_idx').on(t.lastSeenAt)],
);

/** A user's TOTP secret, encrypted at rest; confirmedAt is null until the first valid code. */
export const mfaTotp = sqliteTable('mfa_totp', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretCiphertext: text('secret_ciphertext').notNull(),
  confirmedAt: timestamp('confirmed_at'),
  createdAt: timestamp('created_at').notNull(),
  /** While unconfirmed: the session that started the setup, the only one that may confirm it. */
  pendingSessionId: text('pending_session_id'),
});

/** One-time recovery codes, stored hashed; usedAt marks the single use. */
export const mfaRecoveryCodes = sqliteTable(
  'mfa_recovery_codes',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('mfa_recovery_codes_user_hash_unique').on(t.userId, t.codeHash)],
);
