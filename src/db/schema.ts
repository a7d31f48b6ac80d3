
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Milliseconds since the epoch, stored as INTEGER. */
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const ROLES = ['admin', 'manager', 'user'] as const;
export type Role = (typeof ROLES)[number];

// --- social layer (issue 13) ---
export const ACCOUNT_TYPES = ['normal', 'professional', 'data_provider', 'owner'] as const;
export const COVER_MEDIA_TYPES = ['image', 'video'] as const;
export const PROFILE_VISIBILITIES = ['public', 'followers', 'private'] as const;
export type ProfileVisibility = (typeof PROFILE_VISIBILITIES)[number];
export const NOTIFICATION_FREQUENCIES = ['immediate', 'daily', 'weekly', 'never'] as const;
export const THEMES = ['light', 'dark', 'system'] as const;
export const FOLLOW_STATUSES = ['pending', 'accepted'] as const;
export type FollowStatus = (typeof FOLLOW_STATUSES)[number];

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    /** Trimmed and lower-cased. */
    email: text('email'),
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
    // Console users list: the mfa_enabled filter (issue 17), served like the others.
    index('users_mfa_deleted_joined_idx').on(t.mfaEnabled, t.deletedAt, t.dateJoined),
    // Console users list sorted by email or username (issue 17): the live accounts in that order, no sort step.
    index('users_deleted_email_idx').on(t.deletedAt, t.email),
    index('users_deleted_username_idx').on(t.deletedAt, t.usernameKey),
    // Admin search by name prefix (SQLite's lower() folds ASCII only).
    index('users_first_name_lower_idx').on(sql`lower(${t.firstName})`),
    index('users_last_name_lower_idx').on(sql`lower(${t.lastName})`),
  ],
);

export const profiles = sqliteTable(
  'profiles',
  {
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

    // --- social profile (issue 13) ---
    displayName: text('display_name').notNull().default(''),
    coverMediaUrl: text('cover_media_url').notNull().default(''),
    coverMediaType: text('cover_media_type', { enum: COVER_MEDIA_TYPES }).notNull().default('image'),
    /** ISO date (YYYY-MM-DD) or null. */
    dateOfBirth: text('date_of_birth'),
    city: text('city').notNull().default(''),
    /** ISO 3166 alpha-2, upper case, or ''. */
    country: text('country').notNull().default(''),
    accountType: text('account_type', { enum: ACCOUNT_TYPES }).notNull().default('normal'),
    /** The one source of truth for privacy: is_private is `profile_visibility != 'public'`. */
    profileVisibility: text('profile_visibility', { enum: PROFILE_VISIBILITIES }).notNull().default('public'),
    showEmail: integer('show_email', { mode: 'boolean' }).notNull().default(false),
    showPhone: integer('show_phone', { mode: 'boolean' }).notNull().default(false),
    showLocation: integer('show_location', { mode: 'boolean' }).notNull().default(false),
    isVerified: integer('is_verified', { mode: 'boolean' }).notNull().default(false),
    isSuspended: integer('is_suspended', { mode: 'boolean' }).notNull().default(false),
    suspensionReason: text('suspension_reason').notNull().default(''),
    /** Accepted follows only; recomputed from `follows` in the batch that changes them. */
    followerCount: integer('follower_count').notNull().default(0),
    followingCount: integer('following_count').notNull().default(0),
    postsCount: integer('posts_count').notNull().default(0),
    badgePoints: integer('badge_points').notNull().default(0),
    totalBadges: integer('total_badges').notNull().default(0),
    lastActive: timestamp('last_active'),
    engagementScore: real('engagement_score').notNull().default(0),
    contentQualityScore: real('content_quality_score').notNull().default(0),
    interactionFrequency: real('interaction_frequency').notNull().default(0),
  },
  (t) => [
    // Profile search by display-name prefix (SQLite's lower() folds ASCII only).
    index('profiles_display_name_lower_idx').on(sql`lower(${t.displayName})`),
    index('profiles_country_idx').on(t.country),
    // Badge leaderboard (all time): highest points first.
    index('profiles_badge_points_idx').on(t.badgePoints),
  ],
);

export const passwordHistory = sqliteTable(
  'password_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at').notNull(),
    // --- console everyday jobs (issue 17): what the console shows of a change, never the hash ---
    /** Where the new password was set from (null for rows from before this column). */
    ip: text('ip'),
    /** How it was set: registration, password_changed, password_reset, admin_user_created… (the audit event type). */
    via: text('via'),
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

/** Event severities (API.md "User events"). Rows written before issue 14 say `info`/`warning`. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
/** What the severities of old rows mean now: read through src/audit/severity.ts. */
export const LEGACY_SEVERITIES = { info: 'low', warning: 'medium' } as const satisfies Record<string, Severity>;

/**
 * The one event store: audit events, user (client) events and content events from other
 * services. Columns after `created_at` came with issue 14 (src/audit/record.ts writes them).
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    // The column default stays 'info' (changing a default makes SQLite rebuild the table):
    // every insert names a severity, and reads map the legacy values (src/audit/severity.ts).
    severity: text('severity').$type<Severity | keyof typeof LEGACY_SEVERITIES>().notNull().default('info'),
    /** The account the event is about (no FK: events outlive soft deletes until purged). */
    userId: text('user_id'),
    /** Who did it: the user, an admin, or null for the system / an anonymous client. */
    actorId: text('actor_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** JSON object; never secrets. */
    metadata: text('metadata').notNull().default('{}'),
    createdAt: timestamp('created_at').notNull(),

    // --- user events (issue 14) ---
    /** From the catalogue (src/audit/event-types.ts); null on rows from before it (read from the catalogue). */
    category: text('category'),
    description: text('description').notNull().default(''),
    success: integer('success', { mode: 'boolean' }).notNull().default(true),
    errorMessage: text('error_message'),
    /** Another account the event concerns (the author of a liked post, the followed user). */
    targetUser: text('target_user'),
    sessionId: text('session_id'),
    /** request.cf.country of the request that caused it (ISO alpha-2), when known: the new-country signal. */
    country: text('country'),
    riskScore: integer('risk_score').notNull().default(0),
    requiresReview: integer('requires_review', { mode: 'boolean' }).notNull().default(false),
    reviewedAt: timestamp('reviewed_at'),
    reviewedBy: text('reviewed_by'),
    reviewNote: text('review_note'),
    /** When the single-event alert job mailed the admins about it. */
    alertedAt: timestamp('alerted_at'),
    /** The sender's `event_id` of an ingested event: the same id twice is one event. */
    externalId: text('external_id'),
  },
  (t) => [
    index('audit_events_created_idx').on(t.createdAt),
    index('audit_events_user_created_idx').on(t.userId, t.createdAt),
    index('audit_events_type_created_idx').on(t.type, t.createdAt),
    index('audit_events_severity_created_idx').on(t.severity, t.createdAt),
    index('audit_events_ip_created_idx').on(t.ip, t.createdAt),
    index('audit_events_actor_created_idx').on(t.actorId, t.createdAt),
    // --- user events (issue 14) ---
    uniqueIndex('audit_events_external_id_unique').on(t.externalId),
    index('audit_events_target_created_idx').on(t.targetUser, t.createdAt),
    index('audit_events_review_created_idx').on(t.requiresReview, t.reviewedAt, t.createdAt),
    index('audit_events_risk_created_idx').on(t.riskScore, t.createdAt),
    // The risk signal "recent failures from this IP" counts here (src/audit/risk-reads.ts).
    index('audit_events_ip_failures_idx').on(t.ip, t.createdAt).where(sql`success = 0`),
    // The new-country signal: has this user been seen from this country before?
    index('audit_events_user_country_idx').on(t.userId, t.country),
    // The single-event alert job's queue: small, since alerted rows leave it.
    // Erasing an account clears it from the events it reviewed (src/maintenance/purge-deleted-users.ts).
    index('audit_events_reviewed_by_idx').on(t.reviewedBy).where(sql`reviewed_by IS NOT NULL`),
    index('audit_events_alert_pending_idx')
      .on(t.createdAt)
      .where(sql`alerted_at IS NULL AND (severity = 'critical' OR requires_review = 1)`),
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
/** A user found by their address: only these can be mailed codes and links. */
export type UserWithEmail = UserRow & { email: string };
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

  // --- session analytics (issue 14): written every 20 minutes by src/maintenance/session-analytics.ts ---
  /** Users with a daily_activity row that day. */
  activeUsers: integer('active_users').notNull().default(0),
  /** Sessions whose history says they ended that day, and their mean length in seconds. */
  sessionsEnded: integer('sessions_ended').notNull().default(0),
  avgSessionSeconds: integer('avg_session_seconds').notNull().default(0),
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

// --- social layer (issue 13) ---

/**
 * Preferences. Written with the user at registration; accounts from before this table have
 * no row and read the column defaults (src/settings/defaults.ts) until their first write.
 * `profile_visibility` is not here: it lives on `profiles` (one source of truth).
 */
export const userSettings = sqliteTable('user_settings', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  emailNotifications: integer('email_notifications', { mode: 'boolean' }).notNull().default(true),
  pushNotifications: integer('push_notifications', { mode: 'boolean' }).notNull().default(true),
  warrantyExpiryNotifications: integer('warranty_expiry_notifications', { mode: 'boolean' }).notNull().default(true),
  maintenanceReminderNotifications: integer('maintenance_reminder_notifications', { mode: 'boolean' }).notNull().default(true),
  notificationFrequency: text('notification_frequency', { enum: NOTIFICATION_FREQUENCIES }).notNull().default('immediate'),
  language: text('language').notNull().default('en'),
  theme: text('theme', { enum: THEMES }).notNull().default('system'),
  timezone: text('timezone').notNull().default('UTC'),
  matureContent: integer('mature_content', { mode: 'boolean' }).notNull().default(false),
  autoPlayVideos: integer('auto_play_videos', { mode: 'boolean' }).notNull().default(true),
  updatedAt: timestamp('updated_at').notNull(),
});

/** At most one per user (the primary key); staff verify it. */
export const professionalProfiles = sqliteTable(
  'professional_profiles',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    description: text('description').notNull().default(''),
    phone: text('phone').notNull().default(''),
    website: text('website').notNull().default(''),
    businessAddress: text('business_address').notNull().default(''),
    companyName: text('company_name').notNull().default(''),
    jobTitle: text('job_title').notNull().default(''),
    yearsExperience: integer('years_experience').notNull().default(0),
    /** JSON array of strings. */
    certifications: text('certifications').notNull().default('[]'),
    /** JSON array of strings. */
    servicesOffered: text('services_offered').notNull().default('[]'),
    isVerified: integer('is_verified', { mode: 'boolean' }).notNull().default(false),
    verifiedAt: timestamp('verified_at'),
    verifiedBy: text('verified_by'),
    verificationNote: text('verification_note').notNull().default(''),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [index('professional_profiles_verified_created_idx').on(t.isVerified, t.createdAt)],
);

/** A follow or a request to follow; unfollowing deletes the row, so a re-follow starts fresh. */
export const follows = sqliteTable(
  'follows',
  {
    id: text('id').primaryKey(),
    followerId: text('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    followedId: text('followed_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: FOLLOW_STATUSES }).notNull(),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('follows_pair_unique').on(t.followerId, t.followedId),
    // Followers of X (and their count), newest first; requests to X.
    index('follows_followed_status_created_idx').on(t.followedId, t.status, t.createdAt),
    // Whom X follows (and the count), newest first.
    index('follows_follower_status_created_idx').on(t.followerId, t.status, t.createdAt),
  ],
);

export const blocks = sqliteTable(
  'blocks',
  {
    id: text('id').primaryKey(),
    blockerId: text('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: text('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull().default(''),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    // Serves both directions of "blocked either way" (two lookups of the pair).
    uniqueIndex('blocks_pair_unique').on(t.blockerId, t.blockedId),
    index('blocks_blocker_created_idx').on(t.blockerId, t.createdAt),
  ],
);

// --- activity (issue 14) ---

/**
 * One row per user and UTC day on which they did anything: streaks ("logged in N days in a
 * row") and engagement read it. Columns are counts of that day; src/activity writes them.
 */
export const dailyActivity = sqliteTable(
  'daily_activity',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** UTC day, YYYY-MM-DD. */
    day: text('day').notNull(),
    /** Seen active at all (authenticated requests, throttled). */
    seen: integer('seen').notNull().default(0),
    logins: integer('logins').notNull().default(0),
    posts: integer('posts').notNull().default(0),
    /** Likes, comments, shares, reviews, helpful votes given; follows made. */
    interactions: integer('interactions').notNull().default(0),
    /** Client events (page views, searches, features used). */
    clientEvents: integer('client_events').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] }), index('daily_activity_day_idx').on(t.day)],
);

// --- badges (issue 15) ---
export const BADGE_CATEGORIES = ['achievement', 'activity', 'special'] as const;
export type BadgeCategory = (typeof BADGE_CATEGORIES)[number];
export const BADGE_RARITIES = ['common', 'rare', 'epic', 'legendary'] as const;
export type BadgeRarity = (typeof BADGE_RARITIES)[number];

/** A badge definition; `criteria` is JSON validated by src/badges/criteria.ts when saved. */
export const badges = sqliteTable(
  'badges',
  {
    id: text('id').primaryKey(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    category: text('category', { enum: BADGE_CATEGORIES }).notNull(),
    icon: text('icon').notNull().default(''),
    color: text('color').notNull().default(''),
    imageUrl: text('image_url').notNull().default(''),
    /** JSON: one of the criteria types (src/badges/criteria.ts). */
    criteria: text('criteria').notNull(),
    points: integer('points').notNull().default(0),
    rarity: text('rarity', { enum: BADGE_RARITIES }).notNull(),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [uniqueIndex('badges_slug_unique').on(t.slug), index('badges_active_category_idx').on(t.isActive, t.category)],
);

/**
 * A badge a user holds: at most one per (user, badge) — the unique pair is what makes an award
 * happen exactly once. No cascade from badges: an awarded badge cannot be deleted.
 */
export const userBadges = sqliteTable(
  'user_badges',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    badgeId: text('badge_id')
      .notNull()
      .references(() => badges.id),
    earnedAt: timestamp('earned_at').notNull(),
    isFeatured: integer('is_featured', { mode: 'boolean' }).notNull().default(false),
    /** JSON object: the criteria's figures when it was earned. */
    progressData: text('progress_data').notNull().default('{}'),
    /** The staff member who awarded it; 'cli' for npm run award-badge; null when earned automatically. */
    awardedBy: text('awarded_by'),
    reason: text('reason').notNull().default(''),
  },
  (t) => [
    uniqueIndex('user_badges_user_badge_unique').on(t.userId, t.badgeId),
    // Recent awards (analytics, leaderboard timeframes) and per-badge holders.
    index('user_badges_earned_idx').on(t.earnedAt),
    index('user_badges_badge_earned_idx').on(t.badgeId, t.earnedAt),
    // Featured badges of a user (the limit of six).
    index('user_badges_user_featured_idx').on(t.userId, t.isFeatured),
  ],
);

export type UserSettingsRow = typeof userSettings.$inferSelect;
export type ProfessionalProfileRow = typeof professionalProfiles.$inferSelect;
export type FollowRow = typeof follows.$inferSelect;
export type BlockRow = typeof blocks.$inferSelect;
export type BadgeRow = typeof badges.$inferSelect;
export type UserBadgeRow = typeof userBadges.$inferSelect;

// --- user events and content ingestion (issue 14) ---

/**
 * The ledger behind posts_count: one row per (author, content id) another service reported.
 * post_create inserts it (a repeat changes nothing), post_delete marks it deleted (even
 * before its create arrives, so a late create cannot revive it); posts_count is always a
 * recount of live rows, never an increment that could drift.
 */
export const contentItems = sqliteTable(
  'content_items',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    contentId: text('content_id').notNull(),
    /** The event that created the row: the ingestion batch counts a post in daily activity only then. */
    createdEventId: text('created_event_id'),
    createdAt: timestamp('created_at').notNull(),
    deletedAt: timestamp('deleted_at'),
  },
  (t) => [primaryKey({ columns: [t.userId, t.contentId] }), index('content_items_user_deleted_idx').on(t.userId, t.deletedAt)],
);

/** Where a maintenance job stopped: a time and a key (the last row it handled). */
export const jobWatermarks = sqliteTable('job_watermarks', {
  name: text('name').primaryKey(),
  at: integer('at').notNull().default(0),
  key: text('key').notNull().default(''),
  updatedAt: timestamp('updated_at').notNull(),
});

// --- session history (issue 14) ---

export const SESSION_END_REASONS = ['logout', 'revoked', 'expired', 'reuse', 'password', 'admin'] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/**
 * A D1 mirror of the sessions the per-user object keeps (the object stays the authority on
 * whether one is live): written at sign-in, on refresh and when a session ends, so ended
 * sessions can be listed for 90 days (src/accounts/state/session-history.ts).
 */
export const sessionHistory = sqliteTable(
  'session_history',
  {
    /** The session id (the `sid` of its tokens). */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startedAt: timestamp('started_at').notNull(),
    lastSeenAt: timestamp('last_seen_at').notNull(),
    /** When the session ends unless used again: its idle expiry, never past the absolute one. */
    expiresAt: timestamp('expires_at').notNull(),
    absoluteExpiresAt: timestamp('absolute_expires_at').notNull(),
    ip: text('ip').notNull().default(''),
    userAgent: text('user_agent'),
    device: text('device'),
    deviceType: text('device_type').notNull().default(''),
    browser: text('browser').notNull().default(''),
    os: text('os').notNull().default(''),
    /** From `request.cf` at sign-in ('' when absent, e.g. local development). */
    country: text('country').notNull().default(''),
    city: text('city').notNull().default(''),
    colo: text('colo').notNull().default(''),
    endedAt: timestamp('ended_at'),
    endReason: text('end_reason', { enum: SESSION_END_REASONS }),
  },
  (t) => [
    index('session_history_user_idx').on(t.userId, t.startedAt),
    index('session_history_ended_idx').on(t.endedAt),
    // The analytics job's "open but past expiry" scan.
    index('session_history_open_idx').on(t.expiresAt).where(sql`ended_at IS NULL`),
  ],
);

export type SessionHistoryRow = typeof sessionHistory.$inferSelect;
